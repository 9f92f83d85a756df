# Raw SQL in `change`: Rails cannot revert it, and `db:rollback` raises IrreversibleMigration.
class AddOrdersAmountCheck < ActiveRecord::Migration[7.1]
  def change
    execute "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount >= 0) NOT VALID"
  end
end
