import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RenameOrderTotal1706785200000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameColumn('orders', 'total', 'amount');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameColumn('orders', 'amount', 'total');
  }
}
