# Lossy down: the down narrows text back to varchar(20) and fails on longer statuses written since.
class WidenOrderStatus < ActiveRecord::Migration[7.1]
  def up
    change_column :orders, :status, :text
  end

  def down
    change_column :orders, :status, :string, limit: 20
  end
end
