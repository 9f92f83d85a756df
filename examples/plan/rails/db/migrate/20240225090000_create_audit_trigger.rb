class CreateAuditTrigger < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      CREATE FUNCTION touch_updated_at() RETURNS trigger AS $$
      BEGIN
        NEW.updated_at = now();
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;
    SQL
  end

  def down
    raise ActiveRecord::IrreversibleMigration
  end
end
