// What each statement of an up or down really did on PostgreSQL: the table locks its backend held at
// the end of it, whether a table was rewritten (a new relfilenode) or scanned (a sequential scan
// counted in pg_stat_xact_user_tables), compared with the lock profile `check` predicts. The
// statements run in a transaction of their own that is rolled back: the rehearsal proper runs after
// it, as the framework would, and nothing observed here can change its outcome.
import { type Operation, qnameText } from '../ir.js';
import { type LockLevel, type LockProfile, predictLocks } from '../rules/postgres-locks.js';
import type { Schema } from '../schema/schema.js';
import { type Engine, errorMessage, TimeoutError } from './engine.js';
import { type Script, ScriptError } from './scripts.js';

/** PostgreSQL's table lock modes, weakest first, in the words of its documentation (and of `check`). */
const MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof MODES)[number];

/** `AccessExclusiveLock` → `ACCESS EXCLUSIVE`. */
function modeOf(pgMode: string): LockMode | null {
  const words = pgMode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  return (MODES as readonly string[]).includes(words) ? (words as LockMode) : null;
}

const strength = (m: LockMode | null) => (m === null ? -1 : MODES.indexOf(m));
/** Below this a lock blocks neither reads nor writes nor schema changes: what `check` leaves out ("blocks nothing that matters"). */
const BLOCKING = strength('SHARE');

const KINDS: Record<string, string> = {
  r: 'table',
  p: 'table',
  f: 'table',
  m: 'materialized view',
  v: 'view',
  i: 'index',
  I: 'index',
  S: 'sequence',
  c: 'type',
  t: 'toast',
};
export type RelationKind = 'table' | 'materialized view' | 'view' | 'index' | 'sequence' | 'type' | 'toast';

/** One relation one statement locked. */
export interface ObservedLock {
  /** The statement's first line (the SQL twoway emitted, for a DSL call). */
  statement: string;
  /** Where it starts in the migration's file (the DSL call's line for emitted SQL). */
  line: number;
  /** `schema.name`, `public.` left out. */
  relation: string;
  /** What the relation is (pg_class.relkind in words). */
  kind: RelationKind;
  /** The strongest mode the statement acquired on it; with `heldBefore`, the strongest an earlier statement of the script took. */
  mode: LockMode;
  granted: boolean;
  /** It acquired nothing new here (an earlier statement holds the lock) but rewrote or scanned the relation. */
  heldBefore: boolean;
  /** Its storage was replaced (pg_class.relfilenode changed): a rewrite, or TRUNCATE's new empty file. */
  rewrite: boolean;
  /** A sequential scan of it ran: constraint validation, an index build, a rewrite. */
  scan: boolean;
  /** The statement's place in the script, and the relation's oid (not in the JSON report). */
  index: number;
  oid: number;
}

/** Where check's lock profile and PostgreSQL disagree. */
export interface LockMismatch {
  direction: 'up' | 'down';
  statement: string;
  line: number;
  relation: string;
  /** What check predicted ("SHARE, brief"), or null for no lock that blocks reads or writes. */
  predicted: string | null;
  /** What PostgreSQL did ("ACCESS EXCLUSIVE, scan"), or null. */
  observed: string | null;
  message: string;
}

export interface ScriptObservation {
  locks: ObservedLock[];
  /** Indexes (in the script's statements) of the statements that ran and were observed. */
  observed: number[];
  /** Relations that existed before the script, by the name they had then: what check calls existing. */
  initial: Map<string, number>;
  /** Each index that existed before the script, by name: the name of its table. */
  indexTables: Map<string, string>;
  /**
   * Per observed statement (by index): the relations that existed before the script and that earlier
   * statements locked, by their name at the statement's start, with the strongest mode held.
   */
  prior: Map<number, Map<string, { oid: number; mode: LockMode }>>;
  /** Per observed statement: names of relations that existed before the script and are gone (dropped, renamed) at its start. */
  gone: Map<number, ReadonlySet<string>>;
  /** Statements not observed (they refuse a transaction block, or one before them failed), as notes. */
  notes: string[];
}

interface Relation {
  oid: number;
  name: string;
  kind: string;
  filenode: number;
  /** An index's table (its oid), 0 for anything else. */
  table: number;
}

interface State {
  relations: Map<number, Relation>;
  /** oid → modes held. */
  locks: Map<number, Map<LockMode, boolean>>;
  scans: Map<number, number>;
}

const STATE_SQL = `SELECT json_build_object(
  'relations', (SELECT coalesce(json_agg(json_build_array(c.oid::int8, CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || c.relname,
      c.relkind, c.relfilenode::int8, coalesce(i.indrelid, 0)::int8)), '[]')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'),
  'locks', (SELECT coalesce(json_agg(json_build_array(l.relation::int8, l.mode, l.granted)), '[]')
    FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())),
  'scans', (SELECT coalesce(json_agg(json_build_array(s.relid::int8, s.seq_scan)), '[]') FROM pg_stat_xact_user_tables s)
) AS state`;

async function readState(engine: Engine): Promise<State> {
  const [row] = await engine.query<{ state: unknown }>(STATE_SQL);
  const raw = (typeof row?.state === 'string' ? JSON.parse(row.state) : row?.state) as {
    relations: Array<[number | string, string, string, number | string, number | string]>;
    locks: Array<[number | string, string, boolean]>;
    scans: Array<[number | string, number | string]>;
  };
  const relations = new Map<number, Relation>();
  for (const [oid, name, kind, filenode, table] of raw.relations)
    relations.set(Number(oid), { oid: Number(oid), name, kind, filenode: Number(filenode), table: Number(table) });
  const locks = new Map<number, Map<LockMode, boolean>>();
  for (const [oid, pgMode, granted] of raw.locks) {
    const mode = modeOf(pgMode);
    if (!mode) continue;
    const held = locks.get(Number(oid)) ?? new Map<LockMode, boolean>();
    held.set(mode, granted);
    locks.set(Number(oid), held);
  }
  return { relations, locks, scans: new Map(raw.scans.map(([oid, n]) => [Number(oid), Number(n)])) };
}

/** Statements that would end the observing transaction: never run here. */
function endsTransaction(ops: readonly Operation[], sql: string): boolean {
  if (ops.some((op) => op.kind === 'Transaction')) return true;
  return /^\s*(begin|commit|rollback|end|abort|start\s+transaction|prepare\s+transaction)\b/i.test(sql);
}

const SAVEPOINT = 'twoway_lock_observation';

/**
 * Runs the script's statements one by one inside a transaction that is rolled back, and records per
 * statement the relations that existed before it and that it locked. A statement that fails ends the
 * observation there (the rehearsal proper reports the failure). Throws a ScriptError only when the engine
 * itself was ended (PGlite after a time-out): the caller treats that as the script failing.
 */
export async function observeScript(engine: Engine, script: Script): Promise<ScriptObservation> {
  const locks: ObservedLock[] = [];
  const notes: string[] = [];
  const observed: number[] = [];
  const initial = new Map<string, number>();
  const indexTables = new Map<string, string>();
  const prior = new Map<number, Map<string, { oid: number; mode: LockMode }>>();
  const gone = new Map<number, ReadonlySet<string>>();
  let goneNow: ReadonlySet<string> = new Set();
  const done = () => ({ locks, observed, notes, initial, indexTables, prior, gone });
  // Outside a transaction block the statements run one by one: one that refuses a block is left out, the others go on.
  // golang-migrate sends a file as one message: a lone statement runs outside a transaction block too.
  const looseStatements = script.mode === 'statements' || (script.mode === 'message' && script.statements.length === 1);
  await engine.exec('BEGIN');
  try {
    let before = await readState(engine);
    for (const r of before.relations.values()) {
      initial.set(r.name, r.oid);
      const table = r.table ? before.relations.get(r.table) : undefined;
      if (table) indexTables.set(r.name, table.name);
    }
    const initialOids = new Set(initial.values());
    for (const [i, sql] of script.statements.entries()) {
      const unit = script.units[i] ?? { line: 0, ops: [] };
      if (endsTransaction(unit.ops, sql)) continue;
      if (looseStatements) await engine.exec(`SAVEPOINT ${SAVEPOINT}`);
      try {
        await engine.exec(sql);
      } catch (e) {
        if (e instanceof TimeoutError && engine.kind === 'pglite') throw e;
        const refusesBlock = (e as { code?: string }).code === '25001';
        if (looseStatements && refusesBlock) {
          await engine.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
          notes.push(`locks not observed at line ${unit.line}: it cannot run inside a transaction block`);
          continue;
        }
        notes.push(`locks observed up to line ${unit.line}: ${errorMessage(e)}`);
        return done();
      }
      if (looseStatements) await engine.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      const after = await readState(engine);
      locks.push(...locksOfStatement(before, after, firstLine(sql), unit.line, i));
      observed.push(i);
      const held = new Map<string, { oid: number; mode: LockMode }>();
      for (const [oid, modes] of before.locks) {
        const r = before.relations.get(oid);
        if (!r || !initialOids.has(oid)) continue;
        const mode = [...modes.keys()].reduce((a, b) => (strength(b) > strength(a) ? b : a));
        held.set(r.name, { oid, mode });
      }
      prior.set(i, held);
      gone.set(i, goneNow);
      const vanished = [...initial].filter(([name, oid]) => !goneNow.has(name) && after.relations.get(oid)?.name !== name);
      if (vanished.length) goneNow = new Set([...goneNow, ...vanished.map(([name]) => name)]);
      before = after;
    }
    return done();
  } catch (e) {
    if (e instanceof TimeoutError) throw new ScriptError(errorMessage(e), true);
    throw e;
  } finally {
    if (!(engine.kind === 'pglite' && !(await stillAnswers(engine)))) await engine.exec('ROLLBACK').catch(() => {});
  }
}

async function stillAnswers(engine: Engine): Promise<boolean> {
  try {
    await engine.exec('SELECT 1');
    return true;
  } catch (e) {
    // An aborted transaction still answers (with an error): only an ended engine does not.
    return (e as { code?: string }).code !== undefined;
  }
}

/** The relations that existed before the statement and that it locked (newly, or more strongly), rewrote or scanned. */
function locksOfStatement(before: State, after: State, statement: string, line: number, index: number): ObservedLock[] {
  const out: ObservedLock[] = [];
  for (const [oid, was] of before.relations) {
    const now = after.relations.get(oid);
    const rewrite = now !== undefined && was.filenode !== 0 && now.filenode !== was.filenode;
    const scan = (after.scans.get(oid) ?? 0) > (before.scans.get(oid) ?? 0);
    const modes = [...(after.locks.get(oid) ?? [])];
    const held = before.locks.get(oid);
    const acquired = modes.filter(([mode]) => !held?.has(mode));
    // Locked anew, or worked on under a lock an earlier statement took.
    const shown = acquired.length ? acquired : rewrite || scan ? modes : [];
    if (!shown.length) continue;
    const [mode, granted] = shown.reduce((a, b) => (strength(b[0]) > strength(a[0]) ? b : a));
    out.push({
      statement,
      line,
      // The name the statement knew it by (a RENAME's old name).
      relation: was.name,
      kind: (KINDS[was.kind] ?? 'table') as RelationKind,
      mode,
      granted,
      heldBefore: acquired.length === 0,
      rewrite,
      scan,
      index,
      oid,
    });
  }
  return out.sort((a, b) => a.relation.localeCompare(b.relation));
}

function firstLine(statement: string): string {
  const line = statement.trim().split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/** `public.users` and `users` are one table for the comparison. */
const keyOf = (name: string) => name.replace(/^public\./, '');

/**
 * Compares what PostgreSQL did with check's lock profile of the same statements. Only the strongest mode per
 * relation counts, and only modes that block reads or writes (SHARE and stronger); a mode the relation held
 * already from an earlier statement of the script cannot be seen again and is not held against check.
 */
export function compareLocks(
  direction: 'up' | 'down',
  script: Script,
  observation: ScriptObservation,
  before: Schema,
  options: { start?: Schema; serverVersion: number },
): LockMismatch[] {
  const ops = script.units.flatMap((u) => u.ops);
  const profiles = predictLocks(ops, before, options);
  const profileOf = new Map<Operation, LockProfile | null>(ops.map((op, i) => [op, profiles[i] ?? null]));
  const initialOids = new Set(observation.initial.values());
  const mismatches: LockMismatch[] = [];
  const ran = new Set(observation.observed);
  const where = direction === 'down' ? 'down' : 'up';
  script.units.forEach((unit, i) => {
    // A statement not observed (it failed, refused a block, or ended the transaction) has nothing to compare.
    if (!ran.has(i)) return;
    const statement = firstLine(script.statements[i] ?? '');
    const prior = observation.prior.get(i) ?? new Map<string, { oid: number; mode: LockMode }>();
    // What check names, as PostgreSQL knows it: an index stands for its table; a relation that did not exist
    // before the script (made by it, or absent from this database) is check's "new", left out on both sides.
    const gone = observation.gone.get(i);
    const existing = (name: string) => (observation.initial.has(name) && !gone?.has(name)) || prior.has(name);
    const predicted = new Map<string, { level: LockLevel; long: boolean }>();
    for (const op of unit.ops) {
      const p = profileOf.get(op);
      if (!p) continue;
      const referenced = new Set((p.referenced ?? []).map(qnameText));
      for (const t of p.tables) {
        const level: LockLevel = referenced.has(qnameText(t)) ? 'SHARE ROW EXCLUSIVE' : p.level;
        const named = keyOf(qnameText(t));
        const key = observation.indexTables.get(named) ?? named;
        if (!existing(key)) continue;
        const was = predicted.get(key);
        const strongest = was && strength(was.level) >= strength(level) ? was.level : level;
        predicted.set(key, { level: strongest, long: (was?.long ?? false) || p.duration === 'long' });
      }
    }
    const here = observation.locks.filter((l) => l.index === i && initialOids.has(l.oid));
    const truncate = unit.ops.some((op) => op.kind === 'DataChange' && op.action === 'truncate');
    const actual = new Map(here.map((l) => [keyOf(l.relation), l]));
    // Indexes, sequences and views go with their table: compared where check names them.
    const blocking = [...actual].filter(
      ([, l]) => !l.heldBefore && strength(l.mode) >= BLOCKING && (l.kind === 'table' || l.kind === 'materialized view'),
    );
    const relations = new Set([...predicted.keys(), ...blocking.map(([k]) => k)]);
    for (const relation of relations) {
      const p = predicted.get(relation);
      const o = actual.get(relation);
      const observedMode = o && !o.heldBefore && strength(o.mode) >= BLOCKING ? o.mode : null;
      const earlier = prior.get(relation)?.mode ?? null;
      // Held already at least as strongly as check says: this statement's own request cannot be seen.
      if (p && strength(earlier) >= strength(p.level) && strength(observedMode) <= strength(p.level)) continue;
      if (!p && strength(earlier) >= strength(observedMode)) continue;
      if ((p?.level ?? null) === observedMode) continue;
      mismatches.push({
        direction,
        statement,
        line: unit.line,
        relation,
        predicted: p ? p.level : null,
        observed: observedMode,
        message: `${where} line ${unit.line} (${statement}): check predicted ${p ? p.level : 'no blocking lock'} on ${relation}, PostgreSQL took ${observedMode ?? 'no blocking lock'}`,
      });
    }
    if (!relations.size) return;
    // TRUNCATE gives the table a new, empty file (a new relfilenode, and PostgreSQL counts a sequential scan): no work
    // that grows with the table.
    const worked = truncate ? [] : here.filter((l) => relations.has(keyOf(l.relation)) && (l.scan || l.rewrite));
    const predictedLong = [...predicted.values()].some((p) => p.long);
    if (predictedLong === worked.length > 0) return;
    const work = worked.map((l) => `${l.rewrite ? 'rewrote' : 'scanned'} ${keyOf(l.relation)}`).join(' and ');
    mismatches.push({
      direction,
      statement,
      line: unit.line,
      relation: [...relations].join(', '),
      predicted: predictedLong ? 'scan or rewrite' : 'brief',
      observed: work || 'brief',
      message: `${where} line ${unit.line} (${statement}): check predicted ${predictedLong ? 'a scan or rewrite under the lock' : 'a brief lock'}, PostgreSQL ${work || 'neither scanned nor rewrote'}`,
    });
  });
  return mismatches;
}
