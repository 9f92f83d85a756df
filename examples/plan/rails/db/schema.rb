# This file is auto-generated from the current state of the database.
ActiveRecord::Schema[7.1].define(version: 2024_03_06_090000) do
  enable_extension "plpgsql"

  create_enum "order_kind", ["retail", "wholesale", "gift"]

  create_table "orders", force: :cascade do |t|
    t.bigint "user_id", null: false
    t.decimal "amount", precision: 10, scale: 2, null: false
    t.text "status", default: "pending", null: false
    t.jsonb "metadata", default: {}
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.text "notes"
    t.enum "kind", enum_type: "order_kind"
    t.index ["status", "created_at"], name: "index_orders_on_status_and_created_at"
    t.index ["user_id"], name: "index_orders_on_user_id"
  end

  create_table "users", force: :cascade do |t|
    t.string "email", null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.string "first_name"
    t.string "last_name"
    t.index ["email"], name: "index_users_on_email", unique: true
  end

  add_foreign_key "orders", "users"
end
