import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

export class DropUsersFullName1709283600000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'full_name');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'full_name', type: 'text', isNullable: true }));
  }
}
