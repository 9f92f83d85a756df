import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.alterColumn('users', 'full_name', { type: 'text' });
}

// Narrowing back fails once a name longer than 50 characters was written.
export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.alterColumn('users', 'full_name', { type: 'varchar(50)' });
}
