import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BackfillOrderStatus1707552000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "orders" SET "status" = 'paid' WHERE "status" = 'new' AND "amount" = 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Best effort only: orders that were 'paid' with amount 0 before the up become 'new' too.
    await queryRunner.query(`UPDATE "orders" SET "status" = 'new' WHERE "status" = 'paid' AND "amount" = 0`);
  }
}
