class AddOrderKinds < ActiveRecord::Migration[7.1]
  KINDS = %w[retail wholesale gift].freeze

  def change
    create_enum :order_kind, KINDS
    add_column :orders, :kind, :enum, enum_type: :order_kind
    # One discount column per kind, from a literal list: read once per kind.
    KINDS.each do |kind|
      add_column :orders, "#{kind}_discount", :decimal, precision: 5, scale: 2
    end
    # One tax column per region, from application code: twoway cannot know them without running Ruby, and says so.
    Region.codes.each do |code|
      add_column :orders, "#{code}_tax", :decimal, precision: 5, scale: 2
    end
  end
end
