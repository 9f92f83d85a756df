// UPDATE / DELETE of existing rows: the rows the statement selects are archived first (primary key and the values
// it destroys: the assigned columns, every column when triggers may change others, or the whole row), then changed
// or deleted in batches by primary key, each batch its own transaction. The down writes the archived values back
// (or inserts the archived rows) with the table's user triggers off, and drops the archive. The statement's own text gives the relation, SET list and WHERE: they are cut from it at the
// tokens PostgreSQL's scanner finds at the top level.

import type { DataChange } from '../../ir.js';
import { qnameKey, qnameText } from '../../ir.js';
import type { Schema } from '../../schema/schema.js';
import { parseSync, scanSync } from '../../sql/libpg.js';
import {
  archiveName,
  archiveRows,
  batched,
  columnList,
  dropArchive,
  hasUserTriggers,
  type KindPlan,
  nextBatch,
  primaryKey,
  restoreValues,
  table,
  tuple,
  updateBatches,
  withoutUserTriggers,
} from './sql.js';

/**
 * `liveTriggers`: tables (qnameKey) with user triggers on the live database (`--database-url`), which the replay
 * cannot see when they were made outside the migrations; their names, for the step's note.
 */
export function dataChange(op: DataChange, schema: Schema, liveTriggers?: ReadonlyMap<string, readonly string[]>): KindPlan {
  if (op.action !== 'update' && op.action !== 'delete') return { unplanned: `${op.action.toUpperCase()} is not planned yet` };
  if (op.batched) return { unplanned: 'the statement already runs in batches: the plan cannot archive what each batch changes' };
  const t = schema.table(op.table);
  if (!t) return { unplanned: `the table ${qnameText(op.table)} is not in the schema the migrations before it leave` };
  if (t.columnsUnknown) return { unplanned: `the columns of ${qnameText(op.table)} are not known from the migrations` };
  const pk = primaryKey(t);
  if (!pk) return { unplanned: `${qnameText(op.table)} has no primary key: the batches and the restore go by it` };
  const parts = statementParts(op);
  if ('unplanned' in parts) return parts;
  const key = qnameKey(op.table);
  // What the database does to other tables' rows when these go or change is not in the archive.
  for (const other of schema.tables.values())
    for (const [name, c] of other.constraints) {
      const r = c.type === 'foreign-key' ? c.references : undefined;
      if (!r || qnameKey(r.table) !== key) continue;
      const action = op.action === 'delete' ? r.onDelete : op.columns.some((col) => r.columns.includes(col)) ? r.onUpdate : undefined;
      if (action && action !== 'restrict')
        return { unplanned: `${name} on ${qnameText(other.name)} would ${action} its rows, which the archive does not keep` };
    }
  const tbl = table(op.table);
  // With triggers on the table, the up's writes fire them as the original's did; the down puts rows back with them off.
  const live = liveTriggers?.get(key) ?? [];
  const triggers = hasUserTriggers(schema, op.table) || live.length > 0;
  const onLive = live.length
    ? `; the down restores with the user triggers off, ${live.join(', ')} among them (on the live database, not in the migrations)`
    : '';
  const restoring = (statements: string[]) => (triggers ? withoutUserTriggers(op.table, statements) : statements);
  if (op.action === 'update') {
    if (op.columns.some((c) => pk.includes(c))) return { unplanned: 'the UPDATE changes the primary key the archive matches rows by' };
    const name = `update_${op.table.name}_${op.columns.join('_')}`;
    const archive = archiveName(op.table, name);
    // A trigger may change any column of the rows updated (an updated_at): the archive keeps every column it can
    // write back (not the key it matches by, generated or identity columns).
    const kept = triggers
      ? [...t.columns.values()].filter((c) => !c.generated && !c.identity && !pk.includes(c.name)).map((c) => c.name)
      : op.columns;
    return {
      steps: [
        {
          name,
          release: 1,
          phase: 'data',
          up: [
            batched(
              archiveRows(parts.relation, pk, kept, archive, parts.where),
              updateBatches(parts.relation, parts.set ?? '', pk, archive),
            ),
          ],
          down: [...restoring([restoreValues(op.table, pk, kept, archive)]), ...dropArchive(archive)],
          transactional: false,
          work: { table: op.table, does: 'backfill' },
          note: `the archive ${qnameText(archive)} keeps the old values until \`twoway plan --cleanup\` drops it${onLive}`,
        },
      ],
      archives: [{ table: qnameText(archive), source: op.table, columns: [...pk, ...kept], step: name, someRows: true }],
    };
  }
  // A generated column comes back computed; an identity one keeps its archived value.
  const columns = [...t.columns.values()].filter((c) => !c.generated).map((c) => c.name);
  const overriding = [...t.columns.values()].some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  const name = `delete_from_${op.table.name}`;
  const archive = archiveName(op.table, name);
  const batch = nextBatch(pk, archive);
  return {
    steps: [
      {
        name,
        release: 1,
        phase: 'data',
        up: [
          batched(
            archiveRows(
              parts.relation,
              pk,
              columns.filter((c) => !pk.includes(c)),
              archive,
              parts.where,
            ),
            [
              `DELETE FROM ${tbl} WHERE ${tuple(pk)} IN (${batch});`,
              `UPDATE ${table(archive)} SET twoway_done = true WHERE ${tuple(pk)} IN (${batch});`,
            ],
          ),
        ],
        down: [
          ...restoring([`INSERT INTO ${tbl} (${columnList(columns)})${overriding} SELECT ${columnList(columns)} FROM ${table(archive)};`]),
          ...dropArchive(archive),
        ],
        transactional: false,
        work: { table: op.table, does: 'backfill' },
        note: `the archive ${qnameText(archive)} keeps the deleted rows until \`twoway plan --cleanup\` drops it${onLive}`,
      },
    ],
    archives: [{ table: qnameText(archive), source: op.table, columns, step: name, someRows: true }],
  };
}

/** The relation (as written, with its alias), the SET list and the WHERE condition of a single UPDATE or DELETE. */
function statementParts(op: DataChange): { relation: string; set: string | null; where: string | null } | { unplanned: string } {
  const cannot = { unplanned: `the ${op.action.toUpperCase()} cannot be read as one statement of PostgreSQL` };
  let stmt: Record<string, unknown> | undefined;
  let tokens: ReturnType<typeof scanSync>['tokens'];
  try {
    const tree = parseSync(op.text);
    if (tree.stmts?.length !== 1) return cannot;
    stmt = tree.stmts[0]?.stmt as Record<string, unknown> | undefined;
    tokens = scanSync(op.text).tokens;
  } catch {
    return cannot;
  }
  const node = (op.action === 'update' ? stmt?.UpdateStmt : stmt?.DeleteStmt) as Record<string, unknown[] | undefined> | undefined;
  if (!node) return cannot;
  if (node.withClause || node.returningList?.length || node.fromClause?.length || node.usingClause?.length)
    return { unplanned: `the ${op.action.toUpperCase()} has WITH, FROM/USING or RETURNING: not planned yet` };
  const bytes = Buffer.from(op.text);
  const text = (from: number, to: number) => bytes.subarray(from, to).toString().trim();
  // The top level: outside parentheses, without comments and the closing semicolon.
  const top: typeof tokens = [];
  let depth = 0;
  for (const tok of tokens) {
    if (tok.tokenName === 'SQL_COMMENT' || tok.tokenName === 'C_COMMENT' || tok.tokenName === 'ASCII_59') continue;
    if (tok.tokenName === 'ASCII_41') depth--;
    if (depth === 0) top.push(tok);
    if (tok.tokenName === 'ASCII_40') depth++;
  }
  const end =
    tokens.filter((tok) => tok.tokenName !== 'SQL_COMMENT' && tok.tokenName !== 'C_COMMENT' && tok.tokenName !== 'ASCII_59').at(-1)?.end ??
    0;
  const at = (word: string) => top.findIndex((tok) => tok.keywordName !== 'NO_KEYWORD' && tok.text.toLowerCase() === word);
  const where = at('where');
  const whereTok = top[where];
  const whereText = whereTok ? text(whereTok.end, end) : null;
  if (op.action === 'update') {
    const set = top[at('set')];
    const first = top[0];
    if (!set || !first) return cannot;
    return { relation: text(first.end, set.start), set: text(set.end, whereTok?.start ?? end), where: whereText };
  }
  const from = top[at('from')];
  if (!from) return cannot;
  return { relation: text(from.end, whereTok?.start ?? end), set: null, where: whereText };
}
