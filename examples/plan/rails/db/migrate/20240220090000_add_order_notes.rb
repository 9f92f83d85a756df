# No down: written as `up` only, so a rollback does nothing and leaves the column behind.
class AddOrderNotes < ActiveRecord::Migration[7.1]
  def up
    add_column :orders, :notes, :text
  end
end
