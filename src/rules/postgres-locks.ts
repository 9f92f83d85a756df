// PostgreSQL table locks, shared by the locking rules: which lock a statement takes on which
// existing table, what that lock blocks, and whether the statement runs in a transaction block.
import type { AlterColumnType, Operation, OperationKind, QName, SetNotNull } from '../ir.js';
import { qnameKey, qnameText, recomputingUsing } from '../ir.js';
import type { Schema } from '../schema/schema.js';
import type { RuleContext } from './rule.js';
import { classifyTypeChange } from './type-change.js';

/** What the lock prediction reads of a rule's context: the replayed schema, this direction's operations, the target version. */
export type LockContext = Pick<RuleContext, 'schema' | 'start' | 'isNewTable' | 'ops' | 'index' | 'serverVersion' | 'settings'>;

export type LockLevel = 'ACCESS EXCLUSIVE' | 'EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'SHARE' | 'SHARE UPDATE EXCLUSIVE';

/** What each lock level blocks for the application (the PostgreSQL lock conflict table, in words). */
export const BLOCKS: Record<LockLevel, string> = {
  'ACCESS EXCLUSIVE': 'blocks every read and write',
  EXCLUSIVE: 'blocks writes (reads continue)',
  'SHARE ROW EXCLUSIVE': 'blocks writes (reads continue)',
  SHARE: 'blocks writes (reads continue)',
  'SHARE UPDATE EXCLUSIVE': 'blocks other schema changes and autovacuum, not reads or writes',
};

/** Operation kinds that can lock an existing table (what `lockOf` looks at). */
export const LOCKING_KINDS: OperationKind[] = [
  'DropTable',
  'RenameTable',
  'AddColumn',
  'DropColumn',
  'RenameColumn',
  'AlterColumnType',
  'SetNotNull',
  'DropNotNull',
  'SetDefault',
  'AddIndex',
  'DropIndex',
  'AddConstraint',
  'DropConstraint',
  'RenameConstraint',
  'DataChange',
  'Raw',
];

export interface LockProfile {
  level: LockLevel;
  /** The existing tables locked (new tables of this migration are left out). */
  tables: QName[];
  /** `brief`: a catalog update once the lock is granted; `long`: a scan, build or rewrite proportional to table size. */
  duration: 'brief' | 'long';
  /** Of `tables`, those a new foreign key references: they take SHARE ROW EXCLUSIVE (blocks writes), not `level`. */
  referenced?: QName[];
}

/** The lock an operation takes on tables that existed before the migration; null when it blocks nothing that matters. */
/**
 * `everything`: also the locks the timeout rules leave out (PREDICTED_KINDS, and the referenced tables of a dropped
 * table's or column's foreign keys): what the rehearsal compares with PostgreSQL.
 */
export function lockOf(op: Operation, ctx: LockContext, everything = false): LockProfile | null {
  const existing = (tables: QName[]) => tables.filter((t) => !ctx.isNewTable(t));
  const profile = (level: LockLevel, tables: QName[], duration: 'brief' | 'long', referenced: QName[] = []): LockProfile | null => {
    const locked = existing(tables);
    if (!locked.length) return null;
    const shared = existing(referenced);
    return shared.length ? { level, tables: locked, duration, referenced: shared } : { level, tables: locked, duration };
  };
  switch (op.kind) {
    case 'CreateTable': {
      // The new table's foreign keys add triggers to the tables they reference: SHARE ROW EXCLUSIVE there.
      const referenced = [
        ...op.columns.flatMap((c) => (c.references ? [c.references.table] : [])),
        ...op.constraints.flatMap((c) => (c.type === 'foreign-key' && c.references ? [c.references.table] : [])),
      ].filter((t) => qnameKey(t) !== qnameKey(op.table));
      const once = [...new Map(referenced.map((t) => [qnameKey(t), t])).values()];
      return profile('SHARE ROW EXCLUSIVE', once, 'brief');
    }
    case 'DropTable':
    case 'DropColumn': {
      // Its foreign keys' triggers go from the tables they reference: those are locked too (a table made in this
      // direction locked them when it was made).
      if (ctx.isNewTable(op.table)) return null;
      const column = op.kind === 'DropColumn' ? op.column : undefined;
      return profile('ACCESS EXCLUSIVE', [op.table, ...(everything ? referencedBy(op.table, ctx, column) : [])], 'brief');
    }
    case 'RenameTable':
    case 'RenameColumn':
    case 'DropNotNull':
    case 'SetDefault':
    case 'RenameConstraint':
      return profile('ACCESS EXCLUSIVE', [op.table], 'brief');
    case 'AddColumn': {
      // ADD COLUMN IF NOT EXISTS of a column that is there: the lock, then nothing.
      if (op.ifNotExists && ctx.schema.column(op.table, op.column.name)) return profile('ACCESS EXCLUSIVE', [op.table], 'brief');
      const c = op.column;
      const rewrite = c.generated || (c.default?.volatile ?? false) || c.primaryKey || c.unique;
      // NOT NULL without a default: PostgreSQL scans the table to prove it empty of rows.
      const scans = !c.nullable && c.default === null && !c.identity && !c.primaryKey;
      const fk = c.references ? [c.references.table] : [];
      // A new column's foreign key is validated only when a default fills it (all NULL otherwise: nothing to check).
      const validates = fk.length > 0 && c.default !== null;
      return profile('ACCESS EXCLUSIVE', [op.table, ...fk], rewrite || scans || validates ? 'long' : 'brief', fk);
    }
    case 'AlterColumnType': {
      // Foreign keys referencing the column are rebuilt: their tables are locked too.
      const key = qnameKey(op.table);
      const referencing = [...ctx.schema.tables.values()]
        .filter((t) =>
          [...t.constraints.values()].some(
            (c) =>
              c.type === 'foreign-key' && c.references && qnameKey(c.references.table) === key && c.references.columns.includes(op.column),
          ),
        )
        .map((t) => t.name);
      return profile('ACCESS EXCLUSIVE', [op.table, ...referencing], alterTypeRewrites(op, ctx) === false ? 'brief' : 'long');
    }
    case 'SetNotNull':
      return profile('ACCESS EXCLUSIVE', [op.table], setNotNullScans(op, ctx) ? 'long' : 'brief');
    case 'AddIndex': {
      // An index on a materialized view made earlier in this direction blocks nobody: no query reads it yet.
      if (op.concurrently || isNewView(op.table, ctx)) return null;
      // CREATE INDEX IF NOT EXISTS of an index that is there: the lock, then nothing.
      const exists =
        op.ifNotExists && op.name !== null && ctx.schema.index({ ...(op.table.schema ? { schema: op.table.schema } : {}), name: op.name });
      return profile('SHARE', [op.table], exists ? 'brief' : 'long');
    }
    case 'DropIndex': {
      const table = indexTable(op.index, ctx);
      if (op.concurrently || isNewIndex(op.index, ctx)) return null;
      return profile('ACCESS EXCLUSIVE', table ? [table] : [op.index], 'brief');
    }
    case 'AddConstraint': {
      const c = op.constraint;
      if (c.type === 'foreign-key') {
        const both = c.references ? [op.table, c.references.table] : [op.table];
        // The validation reads the referencing table: one created in this migration is empty.
        const validates = !c.notValid && !ctx.isNewTable(op.table);
        return profile('SHARE ROW EXCLUSIVE', both, validates ? 'long' : 'brief', c.references ? [c.references.table] : []);
      }
      const scans = c.type === 'check' ? !c.notValid : c.type !== 'not-null' && !c.usingIndex;
      return profile('ACCESS EXCLUSIVE', [op.table], scans ? 'long' : 'brief');
    }
    case 'DropConstraint': {
      // A foreign key's triggers live on both tables: dropping it locks the referenced one too.
      const c = ctx.schema.table(op.table)?.constraints.get(op.name);
      const referenced = c?.type === 'foreign-key' && c.references ? [c.references.table] : [];
      return profile('ACCESS EXCLUSIVE', [op.table, ...referenced], 'brief');
    }
    case 'DropView':
      // Queries reading the view wait for the drop (and the drop for them).
      return op.materialized || ctx.schema.views.has(qnameKey(op.name))
        ? isNewView(op.name, ctx)
          ? null
          : { level: 'ACCESS EXCLUSIVE', tables: [op.name], duration: 'brief' }
        : null;
    case 'DataChange':
      return op.action === 'truncate' ? profile('ACCESS EXCLUSIVE', [op.table], 'brief') : null;
    case 'Raw':
      return rawLock(op, ctx, profile);
    default:
      return null;
  }
}

function rawLock(
  op: Extract<Operation, { kind: 'Raw' }>,
  ctx: LockContext,
  profile: (level: LockLevel, tables: QName[], duration: 'brief' | 'long') => LockProfile | null,
): LockProfile | null {
  const target = op.target;
  if (!target) return null;
  const options = op.options ?? [];
  const statement = op.statement;
  // CREATE TRIGGER blocks writes while it waits for and holds its lock (brief).
  if (statement === 'CreateTrigStmt') return profile('SHARE ROW EXCLUSIVE', [target], 'brief');
  if (statement === 'ClusterStmt' || (statement === 'VacuumStmt' && options.includes('full'))) {
    return profile('ACCESS EXCLUSIVE', [target], 'long');
  }
  if (statement === 'AlterTable:AT_SetTableSpace' || statement === 'AlterTable:AT_SetLogged' || statement === 'AlterTable:AT_SetUnLogged') {
    return profile('ACCESS EXCLUSIVE', [target], 'long');
  }
  if (statement.startsWith('AlterTable:')) {
    if (options.includes('concurrently')) return null;
    const subcommand = statement.slice('AlterTable:'.length);
    // PostgreSQL's AlterTableGetLockLevel: triggers take SHARE ROW EXCLUSIVE, statistics and clustering marks SHARE UPDATE EXCLUSIVE.
    if (TRIGGER_SUBCOMMANDS.has(subcommand)) return profile('SHARE ROW EXCLUSIVE', [target], 'brief');
    if (SHARE_UPDATE_EXCLUSIVE_SUBCOMMANDS.has(subcommand)) return null;
    return profile('ACCESS EXCLUSIVE', [target], 'brief');
  }
  if (statement === 'DropStmt:OBJECT_TRIGGER') return profile('ACCESS EXCLUSIVE', [target], 'brief');
  if (statement === 'ReindexStmt:table' && !options.includes('concurrently')) return profile('SHARE', [target], 'long');
  if (statement === 'ReindexStmt:index' && !options.includes('concurrently')) {
    const table = indexTable(target, ctx);
    return table ? profile('SHARE', [table], 'long') : { level: 'SHARE', tables: [target], duration: 'long' };
  }
  if (statement === 'RefreshMatViewStmt' && !isNewView(target, ctx)) {
    return { level: options.includes('concurrently') ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', tables: [target], duration: 'long' };
  }
  return null;
}

const TRIGGER_SUBCOMMANDS = new Set([
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_EnableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrig',
  'AT_DisableTrigAll',
  'AT_DisableTrigUser',
]);
const SHARE_UPDATE_EXCLUSIVE_SUBCOMMANDS = new Set(['AT_SetStatistics', 'AT_ClusterOn', 'AT_DropCluster', 'AT_AttachPartition']);

/** The table an index belongs to, when the replay knows the index. */
export function indexTable(index: QName, ctx: Pick<LockContext, 'schema'>): QName | null {
  const state = ctx.schema.index(index);
  if (!state) return null;
  const [schema, name] = state.table.includes('.') ? state.table.split('.') : [undefined, state.table];
  return schema ? { schema, name: name as string } : { name: name as string };
}

/** An index built earlier in this direction, or on a table created in it: empty, so nothing to wait for. */
export function isNewIndex(index: QName, ctx: LockContext): boolean {
  const table = indexTable(index, ctx);
  if (table && ctx.isNewTable(table)) return true;
  return (firstOf(ctx.ops).index.get(index.name) ?? Number.POSITIVE_INFINITY) < ctx.index;
}

/** A view (materialized or not) created earlier in this direction: nobody reads or refreshes it yet. */
export function isNewView(view: QName, ctx: Pick<LockContext, 'ops' | 'index'>): boolean {
  return (firstOf(ctx.ops).view.get(view.name) ?? Number.POSITIVE_INFINITY) < ctx.index;
}

/** Per list of operations, where each index name is first built and each view name first created. */
interface FirstPlaces {
  index: Map<string | null, number>;
  view: Map<string, number>;
}
const FIRST_PLACES = new WeakMap<readonly Operation[], FirstPlaces>();

/**
 * Built once per direction's list (the lists are never changed after parsing): asking "created earlier?" for every
 * statement by slicing the list before it made the lock rules quadratic in the statements of a migration.
 */
function firstOf(ops: readonly Operation[]): FirstPlaces {
  let places = FIRST_PLACES.get(ops);
  if (!places) {
    places = { index: new Map(), view: new Map() };
    ops.forEach((op, i) => {
      if (op.kind === 'AddIndex' && !places?.index.has(op.name)) places?.index.set(op.name, i);
      if (op.kind === 'CreateView' && !places?.view.has(op.name.name)) places?.view.set(op.name.name, i);
    });
    FIRST_PLACES.set(ops, places);
  }
  return places;
}

/** The tables the foreign keys of `table` (those on `column`, when given) reference, other than itself. */
function referencedBy(table: QName, ctx: LockContext, column?: string): QName[] {
  const own = qnameKey(table);
  return [...(ctx.schema.table(table)?.constraints.values() ?? [])].flatMap((c) =>
    c.type === 'foreign-key' && c.references && qnameKey(c.references.table) !== own && (column === undefined || c.columns.includes(column))
      ? [c.references.table]
      : [],
  );
}

/** The session time zone set in the migration is UTC (timestamp ↔ timestamptz then skips the rewrite on PostgreSQL 12+). */
export function sessionIsUtc(ctx: Pick<LockContext, 'settings'>): boolean {
  const zone = (ctx.settings.get('timezone') ?? ctx.settings.get('time zone') ?? '').replace(/^'|'$/g, '').toLowerCase();
  return ['utc', 'etc/utc', 'gmt', 'z', 'zulu'].includes(zone);
}

/**
 * Whether ALTER COLUMN … TYPE rewrites the table (or rebuilds indexes on the column, for citext) on the target
 * version; null when the column's current type is unknown. Binary-coercible changes skip it since PostgreSQL 9.2.
 */
export function alterTypeRewrites(op: AlterColumnType, ctx: LockContext): boolean | null {
  const old = ctx.schema.column(op.table, op.column)?.type ?? op.existing?.type;
  if (!old) return null;
  const change = classifyTypeChange(old, op.type, recomputingUsing(op), {
    enumValues: (name) => ctx.schema.enums.get(name),
    enumValuesBefore: (name) => ctx.start.enums.get(name),
    utcNoRewrite: ctx.serverVersion >= 12 && sessionIsUtc(ctx),
  });
  if (change.rewrite) return true;
  // CHECK constraints on the column are validated again: a scan.
  const checked = [...(ctx.schema.table(op.table)?.constraints.values() ?? [])].some(
    (c) => c.type === 'check' && c.columns.includes(op.column),
  );
  if (checked) return true;
  const citext = old.name === 'citext' || op.type.name === 'citext';
  return citext && old.name !== op.type.name && ctx.schema.indexesOf(op.table).some((i) => i.columns.includes(op.column));
}

/**
 * Whether SET NOT NULL scans the table: not when the column is NOT NULL already, nor on PostgreSQL 12+
 * when a valid CHECK (col IS NOT NULL) proves it.
 */
export function setNotNullScans(op: SetNotNull, ctx: LockContext): boolean {
  const column = ctx.schema.column(op.table, op.column);
  if (column ? !column.nullable : op.existing?.nullable === false) return false;
  return !(ctx.serverVersion >= 12 && validNotNullCheck(op, ctx) !== null);
}

/** The name of a CHECK constraint that proves the column non-null, when it is valid. */
export function validNotNullCheck(op: SetNotNull, ctx: Pick<LockContext, 'schema'>): string | null {
  for (const [name, c] of ctx.schema.table(op.table)?.constraints ?? []) {
    if (c.type === 'check' && c.notNullColumn === op.column && !c.notValid) return name;
  }
  return null;
}

/**
 * What the prediction covers beyond the rules' LOCKING_KINDS: a CREATE TABLE whose foreign keys take SHARE ROW
 * EXCLUSIVE on the tables they reference, for a moment, and a DROP VIEW (drop-view says what it breaks). The timeout rules leave it out (one warning on most
 * CREATE TABLEs of a history would bury the others: issue 10); the rehearsal's comparison knows it.
 */
const PREDICTED_KINDS: readonly OperationKind[] = [...LOCKING_KINDS, 'CreateTable', 'DropView'];

/**
 * check's lock profile of every operation of one direction, as the rules see it: `before` is the schema the
 * direction starts from (left untouched), `start` the schema before the migration's up.
 */
export function predictLocks(
  ops: readonly Operation[],
  before: Schema,
  options: { start?: Schema; serverVersion: number; owner?: string },
): Array<LockProfile | null> {
  const owner = options.owner ?? 'predicted';
  const live = before.clone();
  const settings = new Map<string, string>();
  const ctx: LockContext = {
    schema: live,
    start: options.start ?? before,
    isNewTable: (q) => live.table(q)?.createdBy === owner,
    ops,
    index: 0,
    serverVersion: options.serverVersion,
    settings,
  };
  return ops.map((op, index) => {
    ctx.index = index;
    const lock = PREDICTED_KINDS.includes(op.kind) ? lockOf(op, ctx, true) : null;
    if (op.kind === 'SetSetting') settings.set(op.name.toLowerCase(), op.value);
    live.apply(op, owner);
    return lock;
  });
}

/** `users` or `users and accounts`. */
export function tablesText(tables: readonly QName[]): string {
  return tables.map(qnameText).join(' and ');
}

/**
 * Whether the statement runs inside a transaction block, where PostgreSQL refuses CONCURRENTLY
 * and friends. golang-migrate and Prisma send a file as one query: several statements form one implicit
 * transaction, a lone statement does not.
 */
export function inTransactionBlock(ctx: RuleContext): boolean {
  if (!ctx.inTransaction) return false;
  if ((ctx.migration.framework === 'golang-migrate' || ctx.migration.framework === 'prisma') && statementCount(ctx.ops) === 1) return false;
  return true;
}

const STATEMENT_COUNTS = new WeakMap<readonly Operation[], number>();

/** Counted once per operation list: rules ask at every statement (100k statements in one file). */
function statementCount(ops: readonly Operation[]): number {
  let count = STATEMENT_COUNTS.get(ops);
  if (count === undefined) {
    count = new Set(ops.map((op) => `${op.span.path}:${op.span.line}:${op.span.column}`)).size;
    STATEMENT_COUNTS.set(ops, count);
  }
  return count;
}

/** A lock_timeout / statement_timeout value that actually bounds the wait ('0' disables it). */
export function timeoutSet(ctx: RuleContext, name: 'lock_timeout' | 'statement_timeout'): boolean {
  const value = ctx.settings.get(name);
  if (value === undefined) return false;
  const unquoted = value.replace(/^'|'$/g, '').trim().toLowerCase();
  return unquoted !== '0' && unquoted !== '' && unquoted !== 'default';
}
