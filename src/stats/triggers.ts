// User triggers of a table on a live PostgreSQL database, read through the read-only session (session.ts, every
// statement through guard.ts): the triggers made outside migrations (by hand, by an extension, by another
// service's migrations) that the schema replay cannot see. `twoway plan --database-url` reads them for the
// tables its UPDATE/DELETE steps write, so their restore runs with those triggers off, as it does for triggers
// the migrations create. "User" as ALTER TABLE … DISABLE TRIGGER USER means it: every trigger but the internal
// ones PostgreSQL makes for foreign keys and deferrable constraints (pg_trigger.tgisinternal).
import type { QName } from '../ir.js';
import type { ReadOnlySession } from './session.js';

/** The names of the table's user triggers, sorted; null when the database has no such table. */
export async function userTriggers(session: ReadOnlySession, table: QName): Promise<string[] | null> {
  if (session.dialect !== 'postgresql') throw new Error('user triggers are read from PostgreSQL only');
  const relation = await session.relation(table);
  if (relation === null) return null;
  const rows = await session.query<{ name: string }>(
    'SELECT t.tgname AS name FROM pg_catalog.pg_trigger t WHERE t.tgrelid = to_regclass($1) AND NOT t.tgisinternal ORDER BY t.tgname',
    [relation],
  );
  return rows.map((r) => r.name);
}
