# Breaking: the running release still reads orders.total.
class RenameOrdersTotal < ActiveRecord::Migration[7.1]
  def change
    rename_column :orders, :total, :amount
  end
end
