// SQL the plan kinds share: quoting, column and table definitions from the replayed schema, archive tables,
// the sync trigger between an old and a new column, and the batched loop.
import { ARCHIVE_SCHEMA, type ConstraintDef, type QName, qnameKey } from '../../ir.js';

export { ARCHIVE_SCHEMA };

import type { ColumnState, IndexState, Schema, TableState } from '../../schema/schema.js';
import type { Archive, PlanStep } from '../steps.js';

export const ident = (s: string): string => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replaceAll('"', '""')}"`);
export const table = (q: QName): string => (q.schema ? `${ident(q.schema)}.${ident(q.name)}` : ident(q.name));
/** PostgreSQL cuts identifiers at 63 bytes: names the plan makes up are cut the same way, so drops find them. */
export const cut = (s: string): string => s.slice(0, 63);

/** Rows per batch of a backfill, each batch its own transaction. */
export const BATCH = 1000;

/** What a kind plans for one operation, or why it cannot. */
export type KindPlan =
  | { steps: PlanStep[]; stopUsing?: { table: string; columns: string[] }[]; archives?: Archive[] }
  | { unplanned: string };

/** The primary key columns of a table, or null when it has none (rows cannot be matched back from an archive). */
export function primaryKey(t: TableState): string[] | null {
  const pk = [...t.constraints.values()].find((c) => c.type === 'primary-key');
  return pk?.columns.length ? pk.columns : null;
}

/** `type [NOT NULL] [DEFAULT …]` as the schema knows the column. */
export function columnSql(c: ColumnState, o: { nullable?: boolean; withDefault?: boolean } = {}): string {
  const notNull = !(o.nullable ?? c.nullable) ? ' NOT NULL' : '';
  const def = (o.withDefault ?? true) && c.default ? ` DEFAULT ${c.default.text}` : '';
  return `${ident(c.name)} ${c.type.text}${def}${notNull}`;
}

const SERIALS = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** A column declared serial: making it again (as part of a new table) makes its sequence again. */
export const isSerial = (c: ColumnState): boolean =>
  SERIALS.has(c.type.text.toLowerCase()) && Boolean(c.default?.text.startsWith('nextval(<'));

/**
 * After rows with their old values went back into a table made again: each serial column's new sequence goes on
 * after the highest value restored (ids the dropped sequence gave to rows deleted before are not reissued by
 * the old table's rows, and are not known).
 */
export function serialsAfterRestore(t: TableState): string[] {
  return [...t.columns.values()]
    .filter(isSerial)
    .map(
      (c) =>
        `SELECT setval(pg_get_serial_sequence('${table(t.name).replaceAll("'", "''")}', '${c.name.replaceAll("'", "''")}'), max(${ident(c.name)})) FROM ${table(t.name)} HAVING max(${ident(c.name)}) IS NOT NULL;`,
    );
}

/** Why the plan cannot recreate a column from the schema (a sequence it owns, generated values), or null. */
export function unrecreatable(c: ColumnState): string | null {
  if (c.identity) return `${c.name} is an identity column: its sequence would not come back with it`;
  if (c.generated) return `${c.name} is a generated column`;
  if (c.default?.text.includes('nextval(')) return `${c.name} takes its default from a sequence the drop removes`;
  return null;
}

export function archiveName(t: QName, step: string): QName {
  return { schema: ARCHIVE_SCHEMA, name: cut(`${t.name}__${step}`) };
}

export const createArchiveSchema = `CREATE SCHEMA IF NOT EXISTS ${ARCHIVE_SCHEMA};`;

/**
 * The down's last statements: the archive goes, and its schema when no other archive is left in it. `ifExists`
 * (the clean-up, which may run again after a down that could not bring the archives back): nothing gone is an error.
 */
export function dropArchive(archive: QName, o: { ifExists?: boolean } = {}): string[] {
  const ifExists = o.ifExists ? 'IF EXISTS ' : '';
  return [
    `DROP TABLE ${ifExists}${table(archive)};`,
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${ARCHIVE_SCHEMA}') THEN DROP SCHEMA ${ifExists}${ARCHIVE_SCHEMA}; END IF; END $$;`,
  ];
}

/** `t.a = a.a AND …`: a table's row matched to its archived row by primary key. */
export function pkMatch(t: string, pk: readonly string[], alias = 'a'): string {
  return pk.map((c) => `${t}.${ident(c)} = ${alias}.${ident(c)}`).join(' AND ');
}

/**
 * A DO block: the statements of `first` once (the archive), then `loop` in batches of primary keys with a COMMIT
 * after each batch, so each batch is its own transaction. The last statement of the loop must change no row once
 * all are done. A step running it holds only this statement and is not transactional: PostgreSQL refuses COMMIT
 * inside a transaction block, and a file of several statements is one (implicitly).
 */
export function batched(first: readonly string[], loop: readonly string[]): string {
  return [
    'DO $$',
    'BEGIN',
    ...first.map((s) => `  ${s}`),
    '  COMMIT;',
    '  LOOP',
    ...loop.map((s) => `    ${s}`),
    '    EXIT WHEN NOT FOUND;',
    '    COMMIT;',
    '  END LOOP;',
    'END $$;',
  ].join('\n');
}

export const columnList = (cols: readonly string[]): string => cols.map(ident).join(', ');
export const tuple = (cols: readonly string[]): string => (cols.length === 1 ? ident(cols[0] as string) : `(${columnList(cols)})`);

/** The archive of the rows `where` selects, with a `twoway_done` mark the batches set. */
export function archiveRows(
  from: string,
  pk: readonly string[],
  values: readonly string[],
  archive: QName,
  where: string | null,
): string[] {
  return [
    createArchiveSchema,
    `CREATE TABLE ${table(archive)} AS SELECT ${columnList([...pk, ...values])}, false AS twoway_done FROM ${from}${where ? ` WHERE ${where}` : ''};`,
  ];
}

/** The next batch of archived rows not yet done. */
export function nextBatch(pk: readonly string[], archive: QName): string {
  return `SELECT ${columnList(pk)} FROM ${table(archive)} WHERE NOT twoway_done ORDER BY ${columnList(pk)} LIMIT ${BATCH}`;
}

/** The loop of an archived UPDATE: change the batch, then mark it done (the mark finds no row once all are). */
export function updateBatches(rel: string, set: string, pk: readonly string[], archive: QName): string[] {
  return [
    `UPDATE ${rel} SET ${set} WHERE ${tuple(pk)} IN (${nextBatch(pk, archive)});`,
    `UPDATE ${table(archive)} SET twoway_done = true WHERE ${tuple(pk)} IN (${nextBatch(pk, archive)});`,
  ];
}

/** The down of an archived UPDATE: the archived values back, by primary key. */
export function restoreValues(t: QName, pk: readonly string[], values: readonly string[], archive: QName): string {
  const tbl = table(t);
  return `UPDATE ${tbl} SET ${values.map((v) => `${ident(v)} = a.${ident(v)}`).join(', ')} FROM ${table(archive)} a WHERE ${pkMatch(tbl, pk)};`;
}

/**
 * The table has triggers the migrations made (twoway's own sync triggers too): a write the up makes may fire them and
 * change other columns of the row (an updated_at), and a restore must not fire them again.
 */
export function hasUserTriggers(schema: Schema, t: QName): boolean {
  const key = qnameKey(t);
  for (const name of schema.objects.keys()) {
    // Replayed CREATE TRIGGERs are named `trigger <name> on <table>`.
    if (!name.startsWith('trigger ')) continue;
    const on = name.lastIndexOf(' on ');
    const table = on < 0 ? '' : name.slice(on + 4);
    const dot = table.indexOf('.');
    if (qnameKey(dot < 0 ? { name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) }) === key) return true;
  }
  return false;
}

/**
 * `statements` with the table's user triggers off (constraint triggers stay on): a restore puts old values back,
 * it is not a write the triggers are for. One DO block, so one transaction even where the step's statements run
 * one by one (outside a transaction): ALTER TABLE holds SHARE ROW EXCLUSIVE to its end, so no other write slips in
 * untriggered, and a restore that fails leaves the triggers on.
 */
export function withoutUserTriggers(t: QName, statements: readonly string[]): string[] {
  return [
    [
      'DO $$',
      'BEGIN',
      `  ALTER TABLE ${table(t)} DISABLE TRIGGER USER;`,
      ...statements.map((s) => `  ${s}`),
      `  ALTER TABLE ${table(t)} ENABLE TRIGGER USER;`,
      'END $$;',
    ].join('\n'),
  ];
}

/** The names of the trigger and its function keeping `from` and `to` of a table equal. */
export function syncNames(t: QName, from: string, to: string): { fn: QName; trigger: string } {
  const name = cut(`twoway_sync_${t.name}_${from}_${to}`);
  return { fn: { schema: t.schema, name }, trigger: name };
}

/**
 * A trigger keeping two columns equal while two releases run: a write to one (old code writes `from`, new code
 * writes `to`) is copied to the other through the conversions. The sync is off while a down restores values.
 */
export function syncTrigger(t: QName, from: string, to: string, toNew: string, toOld: string): { up: string[]; down: string[] } {
  const { fn, trigger } = syncNames(t, from, to);
  const f = ident(from);
  const n = ident(to);
  const body = [
    `CREATE FUNCTION ${table(fn)}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    "  IF TG_OP = 'INSERT' THEN",
    `    IF NEW.${n} IS NULL THEN NEW.${n} := ${toNew}; ELSE NEW.${f} := ${toOld}; END IF;`,
    `  ELSIF NEW.${n} IS DISTINCT FROM OLD.${n} AND NEW.${f} IS NOT DISTINCT FROM OLD.${f} THEN`,
    `    NEW.${f} := ${toOld};`,
    '  ELSE',
    `    NEW.${n} := ${toNew};`,
    '  END IF;',
    '  RETURN NEW;',
    'END $$;',
  ].join('\n');
  return {
    up: [body, `CREATE TRIGGER ${ident(trigger)} BEFORE INSERT OR UPDATE ON ${table(t)} FOR EACH ROW EXECUTE FUNCTION ${table(fn)}();`],
    down: [`DROP TRIGGER ${ident(trigger)} ON ${table(t)};`, `DROP FUNCTION ${table(fn)}();`],
  };
}

/** A constraint as ALTER TABLE … ADD writes it (NOT VALID when it was: the rows it never checked stay unchecked). */
export function constraintSql(name: string, c: ConstraintDef): string | null {
  const cols = c.columns.map(ident).join(', ');
  switch (c.type) {
    case 'primary-key':
      return `CONSTRAINT ${ident(name)} PRIMARY KEY (${cols})`;
    case 'unique':
      return `CONSTRAINT ${ident(name)} UNIQUE (${cols})`;
    case 'check':
      return c.expression ? `CONSTRAINT ${ident(name)} CHECK (${c.expression})${c.notValid ? ' NOT VALID' : ''}` : null;
    case 'foreign-key': {
      const r = c.references;
      if (!r) return null;
      const on = `${r.onDelete ? ` ON DELETE ${r.onDelete.toUpperCase()}` : ''}${r.onUpdate ? ` ON UPDATE ${r.onUpdate.toUpperCase()}` : ''}`;
      return `CONSTRAINT ${ident(name)} FOREIGN KEY (${cols}) REFERENCES ${table(r.table)} (${r.columns.map(ident).join(', ')})${on}${c.notValid ? ' NOT VALID' : ''}`;
    }
    default:
      return null;
  }
}

const simpleColumn = (s: string) => /^[a-z_][a-z0-9_]*$/.test(s);

export function indexSql(t: QName, i: IndexState): string {
  const using = i.method && i.method !== 'btree' ? ` USING ${i.method}` : '';
  const cols = i.columns.map((c) => (simpleColumn(c) ? c : `(${c})`)).join(', ');
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${ident(i.name)} ON ${table(t)}${using} (${cols})${i.where ? ` WHERE ${i.where}` : ''};`;
}

/**
 * The CREATE TABLE and CREATE INDEX statements that make the table again as the schema knows it (`create`), and
 * the constraints that were NOT VALID, added back NOT VALID once the rows are in (`after`): rows they never
 * checked go back as they were. Or why the table cannot be made again.
 */
export function recreateTable(t: TableState, schema: Schema): { create: string[]; after: string[] } | { reason: string } {
  if (t.columnsUnknown) return { reason: `the columns of ${t.name.name} are not known from the migrations` };
  const parts: string[] = [];
  for (const c of t.columns.values()) {
    // A serial column is written as declared: the new table makes its sequence and default again.
    if (isSerial(c)) {
      parts.push(columnSql(c, { withDefault: false }));
      continue;
    }
    const why = unrecreatable(c);
    if (why) return { reason: why };
    parts.push(columnSql(c));
  }
  const after: string[] = [];
  for (const [name, c] of t.constraints) {
    if (c.type === 'not-null') continue;
    const sql = constraintSql(name, c);
    if (!sql) return { reason: `the ${c.type} constraint ${name} cannot be written back from the schema` };
    if (c.notValid) after.push(`ALTER TABLE ${table(t.name)} ADD ${sql};`);
    else parts.push(sql);
  }
  const indexes = schema.indexesOf(t.name).filter((i) => ![...t.constraints.keys()].includes(i.name));
  return { create: [`CREATE TABLE ${table(t.name)} (\n  ${parts.join(',\n  ')}\n);`, ...indexes.map((i) => indexSql(t.name, i))], after };
}
