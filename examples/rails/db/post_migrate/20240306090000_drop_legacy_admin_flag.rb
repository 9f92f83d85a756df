class DropLegacyAdminFlag < ActiveRecord::Migration[7.1]
  def change
    safety_assured { remove_column :users, :admin }
  end
end
