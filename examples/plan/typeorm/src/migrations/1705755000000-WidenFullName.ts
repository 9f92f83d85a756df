import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WidenFullName1705755000000 implements MigrationInterface {
  name = 'WidenFullName1705755000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "full_name" TYPE text`);
  }

  // Narrowing back fails once a name longer than 50 characters was written.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "full_name" TYPE character varying(50)`);
  }
}
