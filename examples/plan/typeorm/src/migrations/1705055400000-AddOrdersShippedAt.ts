import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOrdersShippedAt1705055400000 implements MigrationInterface {
  name = 'AddOrdersShippedAt1705055400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orders" ADD "shipped_at" TIMESTAMP WITH TIME ZONE`);
  }

  // Left empty: rolling back keeps the column, which the previous release ignores.
  public async down(_queryRunner: QueryRunner): Promise<void> {}
}
