class AddOrderKinds < ActiveRecord::Migration[7.1]
  KINDS = %w[retail wholesale gift].freeze

  def change
    create_enum :order_kind, KINDS
    add_column :orders, :kind, :enum, enum_type: :order_kind
    # Columns made in a loop: twoway cannot know them without running Ruby, and says so.
    KINDS.each do |kind|
      add_column :orders, "#{kind}_discount", :decimal, precision: 5, scale: 2
    end
  end
end
