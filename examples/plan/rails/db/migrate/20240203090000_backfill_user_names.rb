# Data: fills the new columns from full_name, and empties them again on the way down.
class BackfillUserNames < ActiveRecord::Migration[7.1]
  def change
    reversible do |dir|
      dir.up do
        execute <<~SQL
          UPDATE users
             SET first_name = split_part(full_name, ' ', 1),
                 last_name = substr(full_name, length(split_part(full_name, ' ', 1)) + 2)
           WHERE first_name IS NULL
        SQL
      end
      dir.down { execute "UPDATE users SET first_name = NULL, last_name = NULL" }
    end
  end
end
