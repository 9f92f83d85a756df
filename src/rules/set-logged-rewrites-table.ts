import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'set-logged-rewrites-table',
  category: 'locking',
  severity: 'error',
  summary: 'ALTER TABLE ... SET LOGGED / UNLOGGED rewrites the table under ACCESS EXCLUSIVE.',
  lock: 'ACCESS EXCLUSIVE on the table for the whole rewrite (proportional to table size): blocks every read and write.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
Switching a table between LOGGED and UNLOGGED rewrites it (SET LOGGED also writes the whole table
to the WAL, which replicas must replay) while holding an ACCESS EXCLUSIVE lock: no reads or
writes for the whole rewrite. An unlogged table is also truncated after a crash and is not
replicated, so SET UNLOGGED on a table with real data risks losing it.

Do instead: create the table with the persistence it needs from the start; to change an existing
large table, create a new table with the right persistence, copy the rows in batches, and swap
names in a short transaction (or use pg_repack). Rails (\`execute\`) and Django (\`RunSQL\`) alike.`,
  check(op, ctx) {
    const logged = op.statement === 'AlterTable:AT_SetLogged';
    if ((!logged && op.statement !== 'AlterTable:AT_SetUnLogged') || !op.target || ctx.isNewTable(op.target)) return null;
    const table = qnameText(op.target);
    return {
      message: `SET ${logged ? 'LOGGED' : 'UNLOGGED'} rewrites ${table} under an ACCESS EXCLUSIVE lock: every read and write waits for the whole rewrite, proportional to table size.`,
      fix: help`Create a new ${logged ? 'logged' : 'unlogged'} table, copy the rows in batches and swap the names in one short transaction, or leave ${table} as it is.`,
    };
  },
});
