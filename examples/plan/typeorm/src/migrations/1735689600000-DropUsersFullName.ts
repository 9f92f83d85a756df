// twoway plan: step 1 of 1, release 2, contract.
// twoway: contract
// Ship first, in the release before this migration: code that no longer reads or writes users.full_name.
// Between this step and the next: the archive twoway_archive.users__drop_users_full_name keeps the values until `twoway plan --cleanup` drops it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DropUsersFullName1735689600000 implements MigrationInterface {
  name = "DropUsersFullName1735689600000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE SCHEMA IF NOT EXISTS twoway_archive;");
    await queryRunner.query("CREATE TABLE twoway_archive.users__drop_users_full_name AS SELECT id, full_name FROM users;");
    await queryRunner.query("ALTER TABLE users DROP COLUMN full_name;");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE users ADD COLUMN full_name text;");
    await queryRunner.query("UPDATE users SET full_name = a.full_name FROM twoway_archive.users__drop_users_full_name a WHERE users.id = a.id;");
    await queryRunner.query("ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;");
    await queryRunner.query("DROP TABLE twoway_archive.users__drop_users_full_name;");
    await queryRunner.query("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;");
  }
}
