# twoway: contract
# Contract: the release of 2024-03-01 stopped reading full_name (ignored_columns).
class RemoveUsersFullName < ActiveRecord::Migration[7.1]
  def change
    remove_column :users, :full_name, :string, null: false
  end
end
