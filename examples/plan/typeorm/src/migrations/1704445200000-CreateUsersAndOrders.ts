import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

export class CreateUsersAndOrders1704445200000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'int', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'email', type: 'varchar', length: '255', isUnique: true },
          { name: 'full_name', type: 'varchar', length: '50' },
          { name: 'created_at', type: 'timestamptz', default: 'now()' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          { name: 'id', type: 'int', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'int' },
          { name: 'total', type: 'decimal', precision: 10, scale: 2, default: 0 },
          { name: 'status', type: 'varchar', length: '20', default: "'new'" },
        ],
      }),
    );
    await queryRunner.createForeignKey(
      'orders',
      new TableForeignKey({ name: 'FK_orders_user', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }),
    );
    await queryRunner.createIndex('orders', new TableIndex({ name: 'IDX_orders_user_status', columnNames: ['user_id', 'status'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('orders');
    await queryRunner.dropTable('users');
  }
}
