class AddOrderKinds < ActiveRecord::Migration[7.1]
  KINDS = %w[retail wholesale gift].freeze

  def change
    create_enum :order_kind, ["retail", "wholesale"]
    # Columns made in a loop: twoway cannot know their names without running Ruby.
    KINDS.each do |kind|
      add_column :orders, "#{kind}_discount", :decimal, precision: 5, scale: 2
    end
    reversible do |dir|
      dir.up { execute "UPDATE orders SET status = 'retail' WHERE status IS NULL" }
      dir.down { execute "UPDATE orders SET status = NULL WHERE status = 'retail'" }
    end
  end
end
