class AddIndexOnOrdersStatus < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_index :orders, [:status, :created_at], algorithm: :concurrently
  end
end
