// The default engine: PostgreSQL compiled to WebAssembly, in this process, nothing to install.
import { PGlite } from '@electric-sql/pglite';
import { type Engine, RESET_SQL } from './engine.js';

export async function createPgliteEngine(): Promise<Engine> {
  const db = await PGlite.create();
  const version = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  return {
    kind: 'pglite',
    serverVersion: version.rows[0]?.v ?? 'unknown',
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async reset() {
      await db.exec(RESET_SQL);
    },
    async close() {
      await db.close();
    },
  };
}
