// `twoway rollback --to <ref>`: can the release running today be rolled back to <ref>, and how.
// The migrations between the two are those present now and absent at <ref> (git), narrowed with a
// database URL to those its history table records as applied. When every one of them leaves a schema
// the code of <ref> runs on (codeRollback compatible, judged with <ref>'s own code as evidence), the
// answer is to roll back the code only. Otherwise the downs to run, newest first, back to the oldest
// one <ref> cannot run on, each with its dbRollback answer, the rows it would destroy counted on the
// live database, and the framework's own commands.
import { relative, resolve, sep } from 'node:path';
import type { MigrationReport } from '../analyze.js';
import { type CheckOptions, check } from '../check.js';
import { repositoryRoot, resolveRef } from '../evidence/index.js';
import { listFiles } from '../evidence/release.js';
import type { CodeRollback, DbRollback } from '../findings.js';
import { GitError } from '../git.js';
import { qnameKey, qnameText } from '../ir.js';
import { hasDown } from '../judge/judge.js';
import type { ReadError } from '../migration.js';
import { openReadOnly, type ReadOnlySession, redact, type TableStats, tableStats } from '../stats/index.js';
import { downCommands } from './commands.js';
import { appliedHistory } from './history.js';

export interface RollbackOptions extends CheckOptions {
  /** The release to go back to: a git ref. */
  to: string;
  databaseUrl?: string;
}

/** Rows a down would destroy, counted on the live database (null: not counted). */
export interface LostRows {
  table: string;
  column: string | null;
  /** What is lost: "non-null values of a dropped column", "rows of a dropped table", "values longer than 50". */
  what: string;
  rows: number | null;
  error?: string;
}

export interface RollbackMigration {
  id: string;
  framework: string;
  path: string;
  /** Applied on the live database (its history table); null without a URL. */
  applied: boolean | null;
  phase: string;
  codeRollback: CodeRollback;
  dbRollback: DbRollback;
  /** Why <ref>'s code cannot run on the schema this migration leaves (its codeRollback reasons). */
  breaks: string[];
}

export interface RollbackDown extends RollbackMigration {
  hasDown: boolean;
  lost: LostRows[];
  /** The tables its down changes, with their size on the live database (catalog statistics): how long its locks may hold. */
  tables: Array<{ table: string; rows: number | null; bytes: number }>;
}

export interface RollbackPlan {
  version: 1;
  to: string;
  commit: string;
  database: { dialect: string; database: string; url: string } | null;
  /** code-only: roll the code back, keep the schema; downs: run `downs` first; nothing: no migration between. */
  plan: 'nothing' | 'code-only' | 'downs';
  /** Rolling back as planned loses no data and is possible: exit 0. */
  safe: boolean;
  /** Why it is not safe, one line each. */
  problems: string[];
  /** Migrations between the two releases, newest first. */
  migrations: RollbackMigration[];
  /** The downs to run, newest first. */
  downs: RollbackDown[];
  commands: string[];
  /** Entries of a history table no migration of the repository matches: applied, but not in this code. */
  appliedMissing: Array<{ framework: string; table: string; entry: string }>;
  errors: ReadError[];
}

export class RollbackError extends Error {}

export async function rollbackPlan(paths: readonly string[], options: RollbackOptions): Promise<RollbackPlan> {
  const cwd = options.cwd ?? process.cwd();
  const repo = repositoryRoot(cwd);
  if (!repo) throw new RollbackError('rollback --to needs a git repository: the migrations between two releases come from git');
  let commit: string;
  try {
    commit = resolveRef(cwd, options.to);
  } catch (e) {
    if (e instanceof GitError) throw new RollbackError(`--to ${options.to}: ${e.message || 'not a commit'}`);
    throw e;
  }
  // The release to go back to is the evidence: its code decides whether the schema of today suits it.
  const result = await check(paths, { ...options, cwd, previousRelease: { repo, ref: options.to, commit } });
  const atRef = new Set(listFiles(repo, commit, '').map((f) => f.path));
  const inRepo = (p: string) => relative(repo, resolve(cwd, p)).split(sep).join('/');
  const session = options.databaseUrl ? await openReadOnly(options.databaseUrl) : null;
  const plan: RollbackPlan = {
    version: 1,
    to: options.to,
    commit,
    database:
      session && options.databaseUrl ? { dialect: session.dialect, database: session.database, url: redact(options.databaseUrl) } : null,
    plan: 'nothing',
    safe: true,
    problems: [],
    migrations: [],
    downs: [],
    commands: [],
    appliedMissing: [],
    errors: result.errors,
  };
  const destructive = new Set<string>();
  const stats = session ? await tableStats(session) : null;
  try {
    for (const { set, reports } of result.sets) {
      const history = session ? await appliedHistory(session, set.framework, set.migrations) : null;
      if (history) for (const entry of history.missing) plan.appliedMissing.push({ framework: set.framework, table: history.table, entry });
      const between = reports.filter((r) => !atRef.has(inRepo(r.parsed.migration.path)));
      const steps = between.map((r) => step(r, history ? history.applied.has(r.parsed.migration.id) : null));
      plan.migrations.push(...steps.slice().reverse());
      // Not applied: nothing to undo on this database.
      const live = between.filter((_, i) => steps[i]?.applied !== false);
      const oldestBreaking = live.findIndex((r) => r.codeRollback !== 'compatible');
      if (oldestBreaking < 0) continue;
      const toUndo = live.slice(oldestBreaking).reverse();
      for (const r of toUndo) {
        if ((r.parsed.down ?? []).some((op) => DESTRUCTIVE.has(op.kind))) destructive.add(r.parsed.migration.id);
        const down: RollbackDown = {
          ...step(r, history ? true : null),
          hasDown: hasDown(r.parsed),
          lost: session ? await lostRows(session, r) : [],
          tables: stats ? tablesOf(r, stats) : [],
        };
        plan.downs.push(down);
      }
      const migrations = toUndo.map((r) => r.parsed.migration);
      plan.commands.push(...downCommands(migrations, set.migrations, set.root));
    }
  } finally {
    await session?.close();
  }
  plan.plan = plan.downs.length ? 'downs' : plan.migrations.some((m) => m.applied !== false) ? 'code-only' : 'nothing';
  for (const d of plan.downs) {
    const lost = d.lost.reduce((n, l) => n + (l.rows ?? 0), 0);
    if (!d.hasDown)
      plan.problems.push(
        `${d.id} has no down: ${d.framework === 'prisma' ? 'Prisma Migrate has none; write a migration that reverses it' : 'write one first'}.`,
      );
    else if (d.dbRollback === 'irreversible') plan.problems.push(`${d.id}: its up destroyed data that no down brings back.`);
    else if (d.dbRollback === 'unknown')
      plan.problems.push(`${d.id}: its down could not be read in full; its effect on the data is unknown.`);
    else if (lost > 0)
      plan.problems.push(`${d.id}: its down destroys ${lost} ${lost === 1 ? 'value' : 'values'} on ${plan.database?.database}.`);
    else if (!session && (d.dbRollback === 'lossy' || destructive.has(d.id)))
      plan.problems.push(`${d.id}: its down destroys what was written since the up; give --database-url to count it.`);
    if (d.lost.some((l) => l.rows === null)) plan.problems.push(`${d.id}: some of what its down destroys could not be counted.`);
  }
  for (const m of plan.appliedMissing)
    plan.problems.push(`${m.table} records ${m.entry}, which no migration of this code matches: it cannot be judged.`);
  plan.safe = plan.problems.length === 0;
  return plan;
}

function step(r: MigrationReport, applied: boolean | null): RollbackMigration {
  const m = r.parsed.migration;
  return {
    id: m.id,
    framework: m.framework,
    path: m.path,
    applied,
    phase: r.phase,
    codeRollback: r.codeRollback,
    dbRollback: r.dbRollback,
    breaks: r.reasons
      .filter((x) => x.direction === 'up' && x.effect.codeRollback === 'breaking')
      .map((x) => `${x.span.path}:${x.span.line}: ${x.message}`),
  };
}

/** The tables the down of `r` names, as the live database sizes them. */
function tablesOf(r: MigrationReport, stats: Map<string, TableStats>): RollbackDown['tables'] {
  const out = new Map<string, RollbackDown['tables'][number]>();
  for (const op of r.parsed.down ?? []) {
    const t = (op as { table?: { schema?: string; name: string } }).table;
    const s = t && typeof t.name === 'string' ? stats.get(qnameKey(t)) : undefined;
    if (t && s) out.set(qnameKey(t), { table: qnameText(t), rows: s.rows, bytes: s.bytes });
  }
  return [...out.values()];
}

const DESTRUCTIVE = new Set(['DropColumn', 'DropTable', 'AlterColumnType', 'CreateEnum', 'DataChange']);

/** What the down of `r` would destroy on the live database, counted: values of columns and rows of tables it drops, values a narrowed type or a shrunk enum cannot hold. */
async function lostRows(session: ReadOnlySession, r: MigrationReport): Promise<LostRows[]> {
  const out: LostRows[] = [];
  // A table the database does not have keeps the name as written: the count then fails and says so.
  const q = async (name: { schema?: string; name: string }) =>
    (await session.relation(name)) ??
    (name.schema ? `${session.ident(name.schema)}.${session.ident(name.name)}` : session.ident(name.name));
  const count = async (item: Omit<LostRows, 'rows'>, sql: string, params: unknown[] = []) => {
    try {
      const rows = await session.query<{ n: unknown }>(sql, params);
      out.push({ ...item, rows: Number(rows[0]?.n ?? 0) });
    } catch (e) {
      out.push({ ...item, rows: null, error: (e as Error).message });
    }
  };
  // The spans of the ops whose loss was counted (or tried): any other op the judge finds destructive is reported uncounted.
  // A re-created enum is counted at its CREATE TYPE, which covers the columns the down moves onto it.
  const counted = new Set<string>();
  const downEnums = new Set((r.parsed.down ?? []).flatMap((o) => (o.kind === 'CreateEnum' ? [o.name.name] : [])));
  for (const op of r.parsed.down ?? []) {
    const before = out.length;
    await countOp(op);
    const enumCovered =
      session.dialect === 'postgresql' && (op.kind === 'CreateEnum' || (op.kind === 'AlterColumnType' && downEnums.has(op.type.name)));
    if (out.length > before || enumCovered) counted.add(`${op.span.path}:${op.span.line}`);
  }
  for (const reason of r.reasons) {
    const lossy = reason.effect.dbRollback === 'lossy' || reason.effect.dbRollback === 'irreversible';
    if (reason.direction !== 'down' || !lossy || counted.has(`${reason.span.path}:${reason.span.line}`)) continue;
    const op = (r.parsed.down ?? []).find((o) => o.span.path === reason.span.path && o.span.line === reason.span.line);
    const t = op && (op as { table?: { schema?: string; name: string } }).table;
    const c = op && (op as { column?: unknown }).column;
    out.push({
      table: t && typeof t.name === 'string' ? qnameText(t) : '',
      column: typeof c === 'string' ? c : null,
      what: reason.message,
      rows: null,
      error: `twoway does not count this (${reason.rule}) on the database`,
    });
    counted.add(`${reason.span.path}:${reason.span.line}`);
  }
  return out;

  async function countOp(op: NonNullable<MigrationReport['parsed']['down']>[number]): Promise<void> {
    if (op.kind === 'DropColumn') {
      await count(
        { table: qnameText(op.table), column: op.column, what: 'non-null values of a column the down drops' },
        `SELECT count(${session.ident(op.column)}) AS n FROM ${await q(op.table)}`,
      );
    } else if (op.kind === 'DropTable') {
      await count(
        { table: qnameText(op.table), column: null, what: 'rows of a table the down drops' },
        `SELECT count(*) AS n FROM ${await q(op.table)}`,
      );
    } else if (op.kind === 'AlterColumnType') {
      const t = op.type;
      const col = session.ident(op.column);
      const length = session.dialect === 'postgresql' ? `char_length(${col})` : `CHAR_LENGTH(${col})`;
      if (session.dialect === 'mysql' && (t.name === 'enum' || t.name === 'set')) {
        const item = { table: qnameText(op.table), column: op.column };
        const members = t.values ?? [];
        const listed = members.map((m) => `'${m}'`).join(', ');
        if (!t.values)
          out.push({
            ...item,
            what: `rows holding a value the down's ${t.text} leaves out`,
            rows: null,
            error: 'its members could not be read',
          });
        else if (t.name === 'enum')
          // An ENUM value the down's list leaves out fails the ALTER in strict mode, or becomes '' without it.
          await count(
            { ...item, what: `rows holding a value the down's ENUM(${listed}) leaves out` },
            `SELECT count(*) AS n FROM ${await q(op.table)} WHERE ${col} IS NOT NULL AND ${col} NOT IN (${members.map(() => '?').join(', ') || "''"})`,
            members,
          );
        // A SET value is a comma-separated list of members (members hold no commas): hit when it has more members than the down keeps.
        else
          await count(
            { ...item, what: `rows holding a member the down's SET(${listed}) leaves out` },
            `SELECT count(*) AS n FROM ${await q(op.table)} WHERE ${col} IS NOT NULL AND ${col} <> '' AND CHAR_LENGTH(${col}) - CHAR_LENGTH(REPLACE(${col}, ',', '')) + 1 > 0${members.map(() => ` + (FIND_IN_SET(?, ${col}) > 0)`).join('')}`,
            members,
          );
      } else if ((t.name === 'varchar' || t.name === 'bpchar' || t.name === 'char') && t.args[0])
        await count(
          { table: qnameText(op.table), column: op.column, what: `values longer than ${t.args[0]} characters (${t.text})` },
          `SELECT count(*) AS n FROM ${await q(op.table)} WHERE ${length} > ${Number(t.args[0])}`,
        );
      else if (t.name === 'numeric' && t.args.length) {
        // numeric(p, s): a value of p − s integer digits or more does not fit; one with more than s decimals is rounded.
        const [p, sc = 0] = t.args as [number, number?];
        await count(
          { table: qnameText(op.table), column: op.column, what: `values ${t.text} cannot hold as they are (too large, or rounded)` },
          `SELECT count(*) AS n FROM ${await q(op.table)} WHERE abs(${col}) >= ${10n ** BigInt(Math.max(0, Number(p) - Number(sc)))} OR ${col} <> round(${col}, ${Number(sc)})`,
        );
      } else if (INT_RANGE[t.name]) {
        const [lo, hi] = INT_RANGE[t.name] as [string, string];
        await count(
          { table: qnameText(op.table), column: op.column, what: `values outside ${t.text}` },
          `SELECT count(*) AS n FROM ${await q(op.table)} WHERE ${col} < ${lo} OR ${col} > ${hi}`,
        );
      }
    } else if (op.kind === 'CreateEnum' && session.dialect === 'postgresql') {
      // The down makes the type again with fewer labels: rows holding a label it leaves out cannot go back.
      const columns = await session.query<{ nsp: string; tbl: string; col: string; labels: string[] }>(
        `SELECT n.nspname AS nsp, c.relname AS tbl, a.attname AS col, (SELECT array_agg(e.enumlabel::text) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
           FROM pg_type t JOIN pg_attribute a ON a.atttypid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
           JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r' JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE t.typname = $1 AND t.typtype = 'e'`,
        [op.name.name],
      );
      for (const c of columns) {
        const gone = (c.labels ?? []).filter((l) => !op.values.includes(l));
        if (!gone.length) continue;
        await count(
          {
            table: c.tbl,
            column: c.col,
            what: `rows holding ${gone.map((g) => `'${g}'`).join(', ')}, which the down's ${op.name.name} no longer has`,
          },
          `SELECT count(*) AS n FROM ${session.ident(c.nsp)}.${session.ident(c.tbl)} WHERE ${session.ident(c.col)}::text = ANY ($1)`,
          [gone],
        );
      }
    }
  }
}

const INT_RANGE: Record<string, [string, string]> = {
  int2: ['-32768', '32767'],
  int4: ['-2147483648', '2147483647'],
  smallint: ['-32768', '32767'],
  int: ['-2147483648', '2147483647'],
  integer: ['-2147483648', '2147483647'],
};
