# Data: fills the new columns from full_name. Rails cannot undo raw SQL inside `change`.
class BackfillUserNames < ActiveRecord::Migration[7.1]
  def change
    execute <<~SQL
      UPDATE users
         SET first_name = split_part(full_name, ' ', 1),
             last_name = substr(full_name, length(split_part(full_name, ' ', 1)) + 2)
       WHERE first_name IS NULL
    SQL
  end
end
