# Expand: the new columns live beside full_name until the code stops reading it.
class AddFirstAndLastNameToUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :first_name, :string
    add_column :users, :last_name, :string
  end
end
