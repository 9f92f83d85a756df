// The verdict of a migration, from its net effect: the schema before against the schema after its
// up (and after its down), where the data went, and what could not be read. Each answer comes with
// the reasons that decided it, each pointing at the statement behind it and naming the rule that
// explains it. Statement rules report locks and explain; they never decide a door.
import type { CodeRollback, DbRollback, Effect, Evidence, Phase, Usage } from '../findings.js';
import { PHASE_RANK } from '../findings.js';
import { foreignKeyColumn } from '../frameworks/rails/names.js';
import type { ColumnRef, ConstraintDef, Dialect, Operation, QName, Span, TypeRef } from '../ir.js';
import { oldNameView, qnameKey, qnameText, SHADOW_SUFFIX } from '../ir.js';
import type { ParsedMigration } from '../migration.js';
import { fitsIn } from '../rules/down-renarrows-type.js';
import { classifyTypeChange } from '../rules/type-change.js';
import type { ColumnState, Schema } from '../schema/schema.js';
import { caseMapping, columnsOfExpression, determinedBy } from '../sql/postgresql.js';
import {
  type IndexDef,
  type NetColumn,
  type NetConstraint,
  type NetEffect,
  type NetIndex,
  type NetTable,
  OTHER_RENAMES,
  sameConstraintDef,
  sameIndexDef,
} from './net.js';

export interface Verdict {
  phase: Phase;
  codeRollback: CodeRollback;
  dbRollback: DbRollback;
}

/** Why an answer is what it is: one change of the net effect, at the statement behind it. */
export interface Reason {
  effect: Effect;
  /** The rule whose finding explains this change. */
  rule: string;
  message: string;
  span: Span;
  direction: 'up' | 'down';
  /** Lines of the release running today behind this reason (JudgeInput.usage), and what they tell in one sentence. */
  evidence?: Evidence[];
  evidenceSummary?: string;
}

/** The release running today on a table (its replay key, no column) or one of its columns; undefined when there is no base to ask. */
export type UsageOf = (table: string, column?: string) => Usage | undefined;

/** A part of the migration no reader could follow. */
export interface Unread {
  direction: 'up' | 'down';
  span: Span;
  reason: string;
}

export interface Judgement extends Verdict {
  reasons: Reason[];
  /** At least one answer is `unknown`: the door is unverified. */
  unverified: boolean;
}

export interface JudgeInput {
  parsed: ParsedMigration;
  before: Schema;
  afterUp: Schema;
  up: NetEffect;
  /** The down's net effect from the schema after the up; null when there is no down that does something. */
  down: NetEffect | null;
  unread: readonly Unread[];
  /** Statements of the down that fail on the schema they meet (the replay checker, rule down-references-missing). */
  downFailures: ReadonlyArray<{ span: Span; message: string }>;
  serverVersion: number;
  dialect: Dialect;
  /** The previous release's code as evidence: decides whether a drop is contract (it stopped using it) or breaking. */
  usage?: UsageOf;
  /**
   * The rollback group this migration belongs to (Migration.rollbackGroup: versions that ship and roll back as one
   * change): the schema before its first member and the net effect of all its ups. Where the data of the previous
   * release lives is judged with the group: what an earlier member made holds none of it, and a table an earlier
   * member copied into a table that a later member renames back is rebuilt, not lost.
   */
  group?: { before: Schema; net: NetEffect };
}

export function judge(input: JudgeInput): Judgement {
  const reasons = merged([...upReasons(input), ...(input.down ? downReasons(input, input.down) : [])]);
  let phase: Phase = 'expand';
  let codeRollback: CodeRollback = 'compatible';
  let irreversible = false;
  let lossy = false;
  for (const { effect } of reasons) {
    if (effect.phase && PHASE_RANK[effect.phase] > PHASE_RANK[phase as Exclude<Phase, 'unknown'>]) phase = effect.phase;
    if (effect.codeRollback === 'breaking') codeRollback = 'breaking';
    if (effect.dbRollback === 'irreversible') irreversible = true;
    if (effect.dbRollback === 'lossy') lossy = true;
  }
  const upUnread = input.unread.some((u) => u.direction === 'up');
  const downUnread = input.unread.some((u) => u.direction === 'down') || input.parsed.downStatus === 'unreadable';
  // An answer already at its worst stays; any other the unread part could change is unknown.
  if (upUnread && phase !== 'breaking') phase = 'unknown';
  if (upUnread && codeRollback !== 'breaking') codeRollback = 'unknown';
  let dbRollback: DbRollback;
  if (irreversible) dbRollback = 'irreversible';
  else if (upUnread || downUnread) dbRollback = 'unknown';
  else if (!hasDown(input.parsed))
    dbRollback = changesNothing(input.parsed) || (reasons.length === 0 && netIsEmpty(input)) ? 'reversible' : 'no-down';
  else dbRollback = lossy ? 'lossy' : 'reversible';
  const unverified = phase === 'unknown' || codeRollback === 'unknown' || dbRollback === 'unknown';
  return { phase, codeRollback, dbRollback, reasons, unverified };
}

/** True when the migration has a down that does something: a written-but-empty down is no down. */
export function hasDown(parsed: ParsedMigration): boolean {
  if (parsed.downStatus === 'none' || parsed.downStatus === 'irreversible') return false;
  if (parsed.downStatus === 'unreadable') return true;
  // A down of placeholders (`SELECT 1;`, comments) does nothing. A framework's declared no-op reverse
  // (Django's RunPython.noop / RunSQL.noop) is the author saying there is nothing to undo: a down.
  return (parsed.down ?? []).some((op) => !trivial(op) || (op.kind === 'Raw' && DECLARED_NO_OPS.has(op.statement)));
}

const DECLARED_NO_OPS = new Set(['RunPython.noop', 'RunSQL.noop']);
const NO_OP_STATEMENTS = new Set([...DECLARED_NO_OPS, 'SelectStmt:constant']);

/** A migration that changes nothing (empty, comments, a merge migration, state-only operations) needs no down. */
export function changesNothing(parsed: ParsedMigration): boolean {
  const acts = (parsed.notes ?? []).some((n) => n.rule === 'framework-cannot-reverse' || n.rule === 'not-analyzed');
  return !acts && parsed.up.every(trivial);
}

/** Everything the up did, it undid itself (a table made and dropped again, an index dropped and re-created as it was). */
function netIsEmpty({ up, parsed }: JudgeInput): boolean {
  if ((parsed.notes ?? []).length) return false;
  if (parsed.up.some((op) => op.kind === 'Raw' && !trivial(op) && !op.object)) return false;
  // A type, nullability or default stated again as it was (MySQL's MODIFY repeating the definition) is no change.
  const restated = (c: NetColumn) =>
    Boolean(c.before) &&
    !c.recomputedBy &&
    (!c.typeAt || Boolean(c.state.type && c.before && sameType(c.state.type, c.before.type))) &&
    (!c.nullAt || c.state.nullable === c.before?.nullable) &&
    (!c.defaultAt || (c.state.default?.text ?? null) === (c.before?.default?.text ?? null));
  const columnChanged = (c: NetColumn) =>
    c.origin === null
      ? c.name !== null
      : c.name !== c.origin || Boolean(c.overwrittenAt || c.filledAt) || (Boolean(c.typeAt || c.nullAt || c.defaultAt) && !restated(c));
  const tablesSame = up.tables.every((t) =>
    t.origin === null
      ? t.name === null
      : t.name !== null && qnameKey(t.name) === t.origin && !t.insertedAt && !t.deletedAt && !t.columns.some(columnChanged),
  );
  // A re-creation of what was dropped, as it was, is no change.
  const recreatedIndex = (i: NetIndex) =>
    up.indexes.some((j) => j.origin !== null && !j.alive && j.table === i.table && j.def && i.def && sameIndexDef(j.def, i.def));
  const recreatedConstraint = (c: NetConstraint) =>
    up.constraints.some((d) => d.origin !== null && !d.alive && d.table === c.table && d.def && c.def && sameConstraintDef(d.def, c.def));
  return (
    tablesSame &&
    !up.indexes.some((i) => i.origin === null && i.alive && i.table?.name && i.table.origin !== null && !recreatedIndex(i)) &&
    !up.constraints.some((c) => c.origin === null && c.alive && c.table.name && c.table.origin !== null && !recreatedConstraint(c)) &&
    !up.enums.some((e) => (e.origin === null ? e.name !== null : (e.values ?? []).length !== (e.beforeValues ?? []).length)) &&
    !up.views.some((v) => v.alive && v.createdAt) &&
    !up.objects.some((o) => o.alive && o.createdAt)
  );
}

/**
 * SQLite stores each value as it is (sqlite.org/datatype3.html): it enforces no length, range or precision, and a
 * column's affinity converts a value only when the conversion is lossless and reversible (REAL 3.5 stays REAL in an
 * INTEGER column, 'abc' stays TEXT). A change of declared type there (an ALTER its runner rebuilds the table for,
 * or a rebuild by copy) therefore keeps every value: a narrowing of one kind of value changes nothing the previous
 * release sees, and a change of kind still breaks it (new rows hold another kind of value) but loses nothing.
 */
function sqliteTypeChange(
  change: ReturnType<typeof classifyTypeChange>,
  from: TypeRef,
  to: TypeRef,
  types: TypeContext,
): ReturnType<typeof classifyTypeChange> {
  if (!types.sqlite || change.class === 'same' || change.class === 'values') return change;
  const [was, now] = [valueKind(from), valueKind(to)];
  if (change.class === 'narrowing' && was && was === now && !enumLosesValues(from, types))
    return { ...change, class: 'widening', lossy: null, why: `SQLite enforces no size on ${to.text}: every value stays as stored` };
  return { ...change, lossy: null };
}

function trivial(op: Operation): boolean {
  return op.kind === 'Transaction' || op.kind === 'SetSetting' || (op.kind === 'Raw' && NO_OP_STATEMENTS.has(op.statement));
}

// --- the up -------------------------------------------------------------------------------------

function upReasons(input: JudgeInput): Reason[] {
  const out: Reason[] = [];
  const add: Add = (effect, rule, span, message, use) => {
    if (span)
      out.push({ effect, rule, message, span, direction: 'up', ...(use ? { evidence: use.evidence, evidenceSummary: use.summary } : {}) });
  };
  const { up } = input;
  const restores = restoredByDown(input);
  const typeContext = {
    enumValues: (name: string) => input.afterUp.enums.get(name),
    enumValuesBefore: (name: string) => input.before.enums.get(name),
    utcNoRewrite: false,
    sqlite: input.dialect === 'sqlite',
  };

  for (const t of up.tables) {
    if (t.origin === null) continue;
    const label = t.origin;
    if (t.name === null) {
      const next = t.continuedBy;
      if (next) {
        judgeContinuation(t, next, add, typeContext, input);
        continue;
      }
      const rebuilt = rebuiltInGroup(input, label);
      if (rebuilt) {
        const lost = rebuilt.lost;
        add(
          { phase: 'contract', ...(lost.length ? { dbRollback: 'irreversible' as const } : {}) },
          'drop-table',
          t.droppedAt,
          lost.length
            ? `Dropping table ${label}: an earlier version of its group copied its rows into a new table that a later one renames to ${label}, without column(s) ${lost.join(', ')}, whose values are lost.`
            : `Dropping table ${label}: an earlier version of its group copied its rows into a new table that a later one renames to ${label}.`,
        );
        continue;
      }
      const where = copiedAway(label, t.columns, restores, up, true);
      const replacing = replacingTables(t, up.tables);
      const absorbed = replacing.length ? [] : absorbingColumns(t, up.tables);
      const replaced = replacing.length
        ? {
            phase: 'breaking' as const,
            codeRollback: 'breaking' as const,
            note: ` It is replaced by ${replacing.map((x) => qnameText(x.name as QName)).join(', ')}, created in the same migration: the previous release cannot have stopped using it.`,
          }
        : absorbed.length
          ? {
              phase: 'breaking' as const,
              codeRollback: 'breaking' as const,
              note: ` Its link moves into ${absorbed.join(', ')}, added in the same migration: the previous release cannot have stopped using it.`,
            }
          : { phase: 'contract' as const, note: '' };
      const use = replacing.length ? undefined : input.usage?.(label);
      const byUse = dropByUse(use);
      const note = replaced.note + byUse.note;
      const effect: Effect = {
        phase: replaced.phase,
        ...(replaced.codeRollback ? { codeRollback: replaced.codeRollback } : {}),
        ...byUse.effect,
      };
      if (where === 'restored') {
        add(effect, 'drop-table', t.droppedAt, `Dropping table ${label}: the down fills it again from the data that stays.${note}`, use);
      } else if (where === 'copied') {
        const loss = hasDown(input.parsed) ? { dbRollback: 'lossy' as const } : {};
        add(
          { ...effect, ...loss },
          'drop-table',
          t.droppedAt,
          `Dropping table ${label}: its values were copied to ${copyTargets(t.columns)}, but the down does not fill it again from there.${note}`,
          use,
        );
      } else {
        add({ ...effect, dbRollback: 'irreversible' }, 'drop-table', t.droppedAt, `Dropping table ${label} destroys its rows.${note}`, use);
      }
      continue;
    }
    // A view under the old name showing every row and column (PostgreSQL writes through it) keeps the old name working.
    const keptByView = () =>
      oldNameView(input.parsed.up, { name: label }, t.name as QName, [...(input.before.table({ name: label })?.columns.keys() ?? [])]);
    const rebuild = renamedBackInGroup(input, t);
    if (rebuild) {
      // The last step of a rebuild split over the group: the previous release sees old x against new x. What the
      // rebuild destroyed, the version that dropped the old table says; here only the shape is judged.
      const at = t.renamedAt;
      const anchored: Add = (effect, rule, _span, message, use) => {
        const { dbRollback: _lost, ...shape } = effect;
        add(shape, rule, at, message, use);
      };
      const group = input.group as NonNullable<JudgeInput['group']>;
      judgeContinuation(rebuild.old, rebuild.next, anchored, typeContext, { ...input, before: group.before, up: group.net });
    } else if (qnameKey(t.name) !== t.origin && !keptByView()) {
      withUse(add, input.usage?.(label))(
        { phase: 'breaking', codeRollback: 'breaking' },
        'rename-table',
        t.renamedAt,
        `Table ${label} is renamed to ${qnameText(t.name)}: the previous release still uses the old name.`,
      );
    }
    judgeColumns(
      t,
      t.columns,
      t.columns.filter((c) => c.origin === null),
      add,
      typeContext,
      restores,
      input,
    );
    // The down inserts the rows back, every column, from another table (twoway plan's archive, a backup the up filled).
    if (t.deletedAt && t.deleteKind !== 'truncate' && t.name && reinserted(restores, t.name, input.before)) {
      add({ phase: 'data' }, 'delete-rows', t.deletedAt, `Rows of ${label} are deleted; the down inserts them back from another table.`);
    } else if (t.deletedAt) {
      add(
        { phase: 'data', dbRollback: 'irreversible' },
        t.deleteKind === 'truncate' ? 'truncate-table' : 'delete-rows',
        t.deletedAt,
        `Rows of ${label} that existed before the migration are deleted: no down can bring them back.`,
      );
    }
    if (t.insertedAt && !madeInGroup(input, label))
      add({ phase: 'data' }, 'insert-rows', t.insertedAt, `Rows are inserted into existing table ${label}: a data step.`);
  }

  // Indexes and constraints of tables that stay: a drop without an identical re-creation is a contract step.
  for (const i of up.indexes) {
    if (i.origin === null || i.alive || !i.droppedAt) continue;
    if (i.table && (i.table.name === null || i.table.continuedBy)) continue;
    const table = i.table;
    const def = i.def && table ? renamedDef(table, i.def) : null;
    // The same index again, or a primary key / unique constraint on the same columns (it builds that index).
    const again =
      def &&
      table &&
      (up.indexes.some((j) => j !== i && j.alive && j.table === table && j.def && sameIndexDef(def, j.def)) ||
        (def.unique &&
          !def.where &&
          up.constraints.some(
            (c) =>
              c.origin === null &&
              c.alive &&
              c.table === table &&
              (c.def?.type === 'primary-key' || c.def?.type === 'unique') &&
              c.def.columns.join(',') === def.columns.join(','),
          )));
    // An index the history never showed, dropped IF EXISTS and made again under its name, had a definition nobody
    // can compare: the previous release may depend on it, so it is a drop like any other.
    if (!again)
      add(
        { phase: 'contract' },
        'drop-index',
        i.droppedAt,
        `Index ${i.origin} is dropped: queries of the previous release may depend on it, and a down must rebuild it.`,
      );
  }
  for (const c of up.constraints) {
    if (c.origin === null || c.alive || !c.droppedAt || c.table.name === null) continue;
    const def = c.def;
    // MySQL: a UNIQUE constraint is a unique index, so a unique index on its columns made again restores it.
    const asIndex = (j: NetIndex) =>
      input.dialect === 'mysql' &&
      def?.type === 'unique' &&
      j.alive &&
      j.table === c.table &&
      j.def?.unique &&
      !j.def.where &&
      j.def.columns.join(',') === def.columns.join(',');
    const again =
      def &&
      (up.constraints.some((d) => d !== c && d.alive && d.table === c.table && d.def && sameConstraintDef(def, d.def)) ||
        up.indexes.some(asIndex));
    if (!again)
      add({ phase: 'contract' }, 'drop-constraint', c.droppedAt, `Constraint ${c.origin} on ${qnameText(c.table.name)} is dropped.`);
  }

  for (const e of up.enums) {
    if (e.origin === null) continue;
    const after = e.name === e.origin ? e : up.enums.find((x) => x.name === e.origin && x !== e);
    const now = after?.values ?? (after ? null : (input.afterUp.enums.get(e.origin) ?? null));
    for (const r of e.valueRenames) {
      add(
        { phase: 'breaking', codeRollback: 'breaking' },
        'rename-enum-value',
        r.span,
        `Enum ${e.origin} value '${r.from}' is renamed to '${r.to}': the previous release still writes '${r.from}'.`,
      );
    }
    if (!after && !input.afterUp.enums.has(e.origin)) {
      if (e.droppedAt)
        add(
          { phase: 'contract', ...(e.dropCascade ? { dbRollback: 'irreversible' as const } : {}) },
          'drop-enum',
          e.droppedAt,
          `Type ${e.origin} is dropped${e.dropCascade ? ' with CASCADE, dropping the columns of that type' : ''}.`,
        );
      continue;
    }
    if (e.beforeValues && now) {
      const renamed = new Set(e.valueRenames.map((r) => r.from));
      const gone = e.beforeValues.filter((v) => !now.includes(v) && !renamed.has(v));
      const explainedByColumn = out.some((r) => r.rule === 'change-column-type' && gone.some((v) => r.message.includes(`'${v}'`)));
      if (gone.length && !explainedByColumn) {
        add(
          { phase: 'breaking', codeRollback: 'breaking' },
          'drop-enum',
          after?.createdAt ?? e.droppedAt ?? e.lastChange,
          `Type ${e.origin} loses the value(s) ${gone.map((v) => `'${v}'`).join(', ')}: the previous release may still write them.`,
        );
      }
    }
  }

  for (const r of up.otherRenames) {
    add(
      { phase: 'breaking', codeRollback: 'breaking' },
      'rename-object',
      r.span,
      `This renames ${OTHER_RENAMES.get(r.statement)}: the release still running names it the old way.`,
    );
  }
  for (const v of up.views) {
    if (v.existedBefore && !v.alive && v.droppedAt)
      add({ phase: 'contract' }, 'drop-view', v.droppedAt, `View ${v.name} is dropped: the previous release may still read it.`);
  }
  for (const o of up.objects) {
    // A trigger (or a function dropped first) made again with another definition: the old one is gone.
    const redefined =
      o.alive && o.beforeDefinition && o.definition && (o.type === 'trigger' || o.droppedAt) && o.beforeDefinition !== o.definition;
    if (redefined) {
      add(
        { phase: 'contract' },
        'drop-object',
        o.droppedAt ?? o.createdAt,
        `${capitalise(o.type)} ${o.name.slice(o.type.length + 1)} is made again with another definition: the old one is gone.`,
      );
      continue;
    }
    if (!o.existedBefore || o.alive || !o.droppedAt) continue;
    const destroys = o.type === 'schema' || o.type === 'database';
    add(
      { phase: 'contract', ...(destroys ? { dbRollback: 'irreversible' as const } : {}) },
      o.type === 'schema' ? 'drop-schema' : o.type === 'database' ? 'drop-database' : 'drop-object',
      o.droppedAt,
      `${capitalise(o.type)} ${o.name.slice(o.type.length + 1)} is dropped${destroys ? ' with everything in it' : ''}.`,
    );
  }
  return out;
}

type Add = (effect: Effect, rule: string, span: Span | undefined, message: string, use?: Usage) => void;

/**
 * What the release running today says decides a drop: still used, it breaks that release (breaking); stopped
 * using it, the drop is the contract step it looks like. Nothing told: the core rules' answer stands.
 */
function dropByUse(use: Usage | undefined): { effect: Effect; note: string } {
  if (!use) return { effect: {}, note: '' };
  const effect: Effect =
    use.uses === true ? { phase: 'breaking', codeRollback: 'breaking' } : use.uses === false ? { codeRollback: 'compatible' } : {};
  return { effect, note: ` ${use.summary}` };
}

/**
 * A change that already breaks the previous release gets the lines of that release that show it. A type
 * change of a column that release is shown not to use cannot break it (a NOT NULL still can: its inserts omit the column).
 */
const BREAKS = ': the previous release breaks.';
function withUse(add: Add, use: Usage | undefined): Add {
  if (use?.uses === false)
    return (effect, rule, span, message, given) =>
      rule === 'change-column-type' && effect.codeRollback === 'breaking'
        ? add(
            { ...effect, phase: effect.phase === 'breaking' ? 'contract' : effect.phase, codeRollback: 'compatible' },
            rule,
            span,
            `${message.endsWith(BREAKS) ? `${message.slice(0, -BREAKS.length)}.` : message} ${use.summary}`,
            given ?? use,
          )
        : add(effect, rule, span, message, given);
  if (!use?.uses) return add;
  return (effect, rule, span, message, given) =>
    add(
      effect,
      rule,
      span,
      effect.codeRollback === 'breaking' && !given ? `${message} ${use.summary}` : message,
      effect.codeRollback === 'breaking' ? (given ?? use) : given,
    );
}
type TypeContext = Parameters<typeof classifyTypeChange>[3] & { sqlite?: boolean };

/** Changes to the columns of a table that stays: `columns` are its columns, `added` those it gained here. */
function judgeColumns(
  t: NetTable,
  columns: readonly NetColumn[],
  added: readonly NetColumn[],
  addReason: Add,
  types: TypeContext,
  restores: Restores,
  input: JudgeInput,
): void {
  const table = qnameText(t.name ?? { name: t.origin ?? '?' });
  for (const c of columns) {
    if (c.origin === null) continue;
    const target = `${table}.${c.origin}`;
    const use = t.origin === null ? undefined : input.usage?.(t.origin, c.origin);
    const add = withUse(addReason, use);
    if (c.name === null) {
      const home = qnameKey(t.name ?? { name: t.origin ?? '?' });
      // A generated column's values are computed from the others: a down that adds it again computes them again, and
      // without a down nothing is lost either (any down could).
      const generated = Boolean(c.before?.generated);
      const where = generated || newToGroup(input, t, c.origin) ? 'restored' : copiedAway(home, [c], restores, input.up);
      const loss =
        where === 'restored'
          ? {}
          : where === 'copied'
            ? hasDown(input.parsed)
              ? { dbRollback: 'lossy' as const }
              : {}
            : { dbRollback: 'irreversible' as const };
      const kept =
        where === 'restored'
          ? generated
            ? ' Its values are computed from columns that stay: adding it again computes them again.'
            : ' The down fills it again from the data that stays.'
          : where === 'copied'
            ? ` Its values were copied to ${copyTargets([c])}, but the down does not fill it again from there.`
            : '';
      // Swapped for a copy under its own name (add x_new, copy, drop x, rename x_new to x): the column goes on.
      const swap = c.copies.find((x) => x.to === t && x.into.origin === null && x.into.name === c.origin);
      if (swap) {
        if (!swap.exact)
          add(
            { phase: 'data', dbRollback: 'irreversible' },
            'update-rows',
            swap.span,
            `${target} is copied into its replacement through an expression: the old values are changed.`,
          );
        const n = swap.into;
        const st = n.state;
        const continued: NetColumn = {
          ...n,
          origin: c.origin,
          typeAt: st.type && c.before && !sameType(c.before.type, st.type) ? (n.typeAt ?? n.addedAt) : n.typeAt,
          nullAt: st.nullable === false && c.before?.nullable !== false ? (n.nullAt ?? n.addedAt) : n.nullAt,
          defaultAt: (st.default ?? null) === null && c.before?.default ? (n.defaultAt ?? n.addedAt) : n.defaultAt,
        };
        judgeColumnState(target, continued, c.before, add, types);
        continue;
      }
      const replacement = replacementOf(c, t, added);
      const child = replacement ? undefined : childTable(t, input);
      if (
        replacement &&
        t.columns.includes(replacement) &&
        replacement.name === c.origin &&
        replacement.state.type &&
        c.before &&
        sameType(c.before.type, replacement.state.type)
      ) {
        // Dropped and added again with its type: the values are reset, and what the new column declares is judged
        // against the old one (NOT NULL where it was nullable breaks the previous release's writes).
        add(
          { phase: 'data', ...loss },
          'drop-column',
          c.droppedAt,
          `Column ${target} is dropped and added again with the same type: its values are reset.${kept}`,
        );
        const st = replacement.state;
        judgeColumnState(
          target,
          {
            ...replacement,
            origin: c.origin,
            nullAt:
              st.nullable === false && c.before?.nullable !== false ? (replacement.nullAt ?? replacement.addedAt) : replacement.nullAt,
            defaultAt:
              (st.default ?? null) === null && c.before?.default ? (replacement.defaultAt ?? replacement.addedAt) : replacement.defaultAt,
          },
          c.before,
          add,
          types,
        );
      } else if (replacement) {
        add(
          { phase: 'breaking', codeRollback: 'breaking', ...loss },
          'drop-column',
          c.droppedAt,
          `Column ${target} is dropped and replaced by ${tableOf(replacement, input.up.tables)} in the same migration: the previous release cannot have stopped using it.${kept}`,
        );
      } else if (child) {
        add(
          { phase: 'breaking', codeRollback: 'breaking', ...loss },
          'drop-column',
          c.droppedAt,
          `Column ${target} is dropped while table ${child}, made in the same migration, references ${table}: what the column held moves there, and the previous release cannot have stopped using it.${kept}`,
        );
      } else {
        const byUse = dropByUse(use);
        addReason(
          { phase: 'contract', ...loss, ...byUse.effect },
          'drop-column',
          c.droppedAt,
          `Dropping column ${target}${where === 'no' ? ' destroys its values.' : ':'}${kept}${byUse.note}`,
          use,
        );
      }
      continue;
    }
    // twoway plan's type-change swap: the code knows the dropped column, whose name the shadow takes, not the shadow.
    const swapped = c.origin.endsWith(SHADOW_SUFFIX) ? columns.find((d) => d.name === null && d.origin === c.name) : undefined;
    if (c.name !== c.origin && !swapped) {
      // The previous release's code, read, never names the column: the rename is invisible to it.
      if (use?.uses === false)
        add(
          { phase: 'contract', codeRollback: 'compatible' },
          'rename-column',
          c.renamedAt,
          `Column ${target} is renamed to ${c.name}. ${use.summary}`,
          use,
        );
      else
        add(
          { phase: 'breaking', codeRollback: 'breaking' },
          'rename-column',
          c.renamedAt,
          `Column ${target} is renamed to ${c.name}: the previous release still uses the old name.`,
        );
    }
    // A CHECK (col IS NOT NULL) of before already kept NULLs out of the previous release's writes.
    const checked = [...(input.before.table(t.name ?? { name: '' })?.constraints.values() ?? [])].some((k) => k.notNullColumn === c.origin);
    const mapped = c.recomputedBy ? mappedBackByDown(input, c) : null;
    if (mapped && c.recomputedBy)
      add(
        { phase: 'data' },
        'change-column-type',
        c.recomputedBy.span,
        `USING maps each value of ${target} to another (${mapped}); the down's USING maps each one back.`,
      );
    const judged = mapped ? { ...c, recomputedBy: undefined } : c;
    judgeColumnState(target, judged, swapped ? swapped.before : c.before, add, types, checked);
    if (c.overwrittenAt) {
      const home = qnameKey(t.name ?? { name: t.origin ?? '?' });
      const names = new Set([home, t.origin ?? home]);
      const remaps = remappedBack(input, names, c.origin as string, c.name ?? (c.origin as string));
      if (newToGroup(input, t, c.origin))
        add(
          { phase: 'data' },
          'update-rows',
          c.overwrittenAt,
          `${target} was added by an earlier version of its group: filling it destroys no value of the previous release.`,
        );
      else if (recomputed(restores, home, c.name ?? c.origin))
        add(
          { phase: 'data' },
          'update-rows',
          c.overwrittenAt,
          `Existing values of ${target} are recomputed; the down computes them again from the other columns.`,
        );
      else if (remaps)
        // Not proven two-way: rows that already held a new value before the up are mapped back too.
        add(
          { phase: 'data', dbRollback: 'irreversible' },
          'update-rows',
          c.overwrittenAt,
          `Existing values of ${target} are rewritten value by value (${remaps}); the down maps each one back, which restores them only if no row held one of the new values before the up.`,
        );
      else
        add(
          { phase: 'data', dbRollback: 'irreversible' },
          'update-rows',
          c.overwrittenAt,
          `Existing values of ${target} are overwritten: no down can bring them back.`,
        );
    }
  }
  const swappedIn = new Set(
    columns.flatMap((c) =>
      c.origin !== null && c.name === null ? c.copies.filter((x) => x.to === t && x.into.name === c.origin).map((x) => x.into) : [],
    ),
  );
  for (const c of added) {
    if (c.name === null || swappedIn.has(c)) continue;
    const s = c.state;
    if (s.nullable === false && (s.default ?? null) === null && !s.generated && !s.identity) {
      const at = latest(c.addedAt, c.nullAt, c.defaultAt);
      addReason(
        { phase: 'breaking', codeRollback: 'breaking' },
        'add-column-not-null',
        at,
        `New column ${table}.${c.name} ends the migration NOT NULL without a default: the previous release's INSERTs do not name it and fail.`,
      );
    }
    if (c.filledAt)
      addReason(
        { phase: 'data' },
        'update-rows',
        c.filledAt,
        `New column ${table}.${c.name} is backfilled: a data step that destroys nothing.`,
      );
  }
}

/** An existing column's type, nullability and default: before (when known) against now. */
function judgeColumnState(
  target: string,
  c: NetColumn,
  before: ColumnState | undefined,
  add: Add,
  types: TypeContext,
  provenNotNull = false,
): void {
  const s = c.state;
  if (c.recomputedBy) {
    add(
      { phase: 'data', dbRollback: 'irreversible' },
      'change-column-type',
      c.recomputedBy.span,
      `USING ${c.recomputedBy.using} recomputes every value of ${target}: the old values are lost.`,
    );
  }
  if (c.typeAt && s.type) {
    if (!before || before.type.name === 'unknown') {
      add(
        { phase: 'breaking', codeRollback: 'breaking' },
        'change-column-type',
        c.typeAt,
        `The type of ${target} changes to ${s.type.text}; its type before is unknown, so the change may narrow it.`,
      );
    } else if (!sameType(before.type, s.type) || enumLosesValues(before.type, types)) {
      const change = sqliteTypeChange(classifyTypeChange(before.type, s.type, null, types), before.type, s.type, types);
      if (change.class === 'narrowing' || change.class === 'kind') {
        add(
          { phase: 'breaking', codeRollback: 'breaking', ...(change.lossy ? { dbRollback: 'irreversible' as const } : {}) },
          'change-column-type',
          c.typeAt,
          `${target} changes from ${before.type.text} to ${s.type.text} (${change.why})${BREAKS}`,
        );
      } else if (change.lossy) {
        add(
          { phase: 'data', dbRollback: 'irreversible' },
          'change-column-type',
          c.typeAt,
          `${target} changes from ${before.type.text} to ${s.type.text}: ${change.lossy}.`,
        );
      }
    }
  }
  const wasNullable = before ? before.nullable : true;
  if (c.nullAt && s.nullable === false && wasNullable && !provenNotNull) {
    add(
      { phase: 'breaking', codeRollback: 'breaking' },
      'set-not-null',
      c.nullAt,
      `${target} becomes NOT NULL: the previous release may still write NULL.`,
    );
  }
  const hadDefault = before ? before.default !== null : false;
  const notNull = s.nullable === false || (s.nullable === undefined && before?.nullable === false);
  if (c.defaultAt && s.default === null && hadDefault && notNull) {
    add(
      { phase: 'breaking', codeRollback: 'breaking' },
      'drop-default',
      c.defaultAt,
      `The default of NOT NULL column ${target} is dropped: the previous release's INSERTs relied on it.`,
    );
  }
}

/** A table of before continued by one made here: a rebuild by copy (SQLite), or a re-creation under its name. */
function judgeContinuation(old: NetTable, next: NetTable, add: Add, types: TypeContext, input: JudgeInput): void {
  const label = old.origin as string;
  const nextName = next.name as NonNullable<NetTable['name']>;
  const copy = next.continues?.by === 'copy';
  if (qnameKey(nextName) !== label) {
    add(
      { phase: 'breaking', codeRollback: 'breaking' },
      'rename-table',
      next.renamedAt ?? next.createdAt,
      `Table ${label} is rebuilt as ${qnameText(nextName)}: the previous release still uses the old name.`,
    );
  }
  const mapping = copy ? next.copiesIn.filter((c) => c.from === old).flatMap((c) => c.mapping) : [];
  const carried = new Map<NetColumn, { target: NetColumn; exact: boolean }>();
  for (const m of mapping) if (m.source && !carried.has(m.source)) carried.set(m.source, { target: m.target, exact: m.exact });
  if (!copy && !next.createdFromQuery && next.copiesIn.length === 0) {
    add(
      { phase: 'contract', dbRollback: 'irreversible' },
      'drop-table',
      old.droppedAt,
      `Table ${label} is dropped and re-created empty: its rows are lost.`,
    );
  }
  // A column copied from one this migration added (ADD COLUMN, fill, then rebuild) is new to the previous release.
  const targets = new Set([...carried].filter(([source]) => source.origin !== null).map(([, c]) => c.target));
  const added = next.columns.filter((c) => !targets.has(c) && !(!copy && old.columns.some((o) => o.origin === c.name)));
  const table = qnameText(nextName);
  for (const c of old.columns) {
    if (c.origin === null || c.name === null) continue;
    const into = copy
      ? carried.get(c)
      : (() => {
          const same = next.columns.find((n) => n.name === c.name);
          return same ? { target: same, exact: true } : undefined;
        })();
    if (!into) {
      const replacement = added.find((n) => n.name !== null && related(c.origin as string, n.name));
      if (replacement) {
        add(
          { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
          'drop-column',
          next.createdAt,
          `Rebuilding ${label} replaces column ${c.origin} by ${replacement.name}: the previous release cannot have stopped using it.`,
        );
      } else {
        add(
          { phase: 'contract', dbRollback: 'irreversible' },
          'drop-column',
          next.createdAt ?? old.droppedAt,
          `Rebuilding ${label} leaves out column ${c.origin}: its values are lost.`,
        );
      }
      continue;
    }
    const target = `${table}.${c.origin}`;
    // Its values land in another column while its own name is filled from elsewhere (an INSERT column list out of
    // step with its SELECT): no name goes away, the values are moved between columns.
    const swapped =
      into.target.name !== c.origin && [...carried].some(([from, to]) => from !== c && from.origin !== null && to.target.name === c.origin);
    if (swapped) {
      add(
        { phase: 'data', dbRollback: 'irreversible' },
        'update-rows',
        next.copiesIn.find((x) => x.from === old)?.span ?? next.createdAt,
        `Rebuilding ${label} copies the values of ${c.origin} into ${into.target.name}, while ${c.origin} gets another column's: existing values are overwritten in place.`,
      );
    } else if (into.target.name !== c.origin) {
      add(
        { phase: 'breaking', codeRollback: 'breaking' },
        'rename-column',
        next.createdAt,
        `Rebuilding ${label} renames column ${c.origin} to ${into.target.name}: the previous release still uses the old name.`,
      );
    }
    if (!into.exact && copy) {
      add(
        { phase: 'data', dbRollback: 'irreversible' },
        'update-rows',
        next.copiesIn.find((x) => x.from === old)?.span,
        `Rebuilding ${label} copies ${c.origin} through an expression: the old values are changed.`,
      );
    }
    // The new table's column against the old one: its type, nullability and default as declared in the rebuild.
    const state = into.target.state;
    const pseudo: NetColumn = {
      ...into.target,
      origin: c.origin,
      typeAt: state.type && c.before && !sameType(c.before.type, state.type) ? (into.target.typeAt ?? next.createdAt) : into.target.typeAt,
      nullAt: state.nullable === false && c.before?.nullable !== false ? (into.target.nullAt ?? next.createdAt) : into.target.nullAt,
      defaultAt:
        (state.default ?? null) === null && c.before?.default && !rowidAlias(nextName, into.target.name as string, input)
          ? (into.target.defaultAt ?? next.createdAt)
          : into.target.defaultAt,
    };
    judgeColumnState(target, pseudo, c.before, add, types);
  }
  for (const c of added) {
    if (c.name === null) continue;
    const s = c.state;
    if (s.nullable === false && (s.default ?? null) === null && !s.generated && !s.identity) {
      add(
        { phase: 'breaking', codeRollback: 'breaking' },
        'add-column-not-null',
        latest(c.addedAt, c.nullAt, c.defaultAt),
        `Rebuilding ${label} adds column ${c.name} NOT NULL without a default: the previous release's INSERTs do not name it and fail.`,
      );
    }
  }
  // Indexes and constraints the old table had and the new one lacks.
  for (const i of input.before.indexesOf({ name: label })) {
    const def = {
      columns: i.columns.map((col) => carriedName(carried, old, col) ?? col),
      unique: i.unique,
      where: i.where ?? null,
      method: i.method ?? 'btree',
    };
    const kept = input.up.indexes.some((j) => j.alive && j.table === next && j.def && sameIndexDef(def, j.def));
    if (!kept)
      add(
        { phase: 'contract' },
        'drop-index',
        next.createdAt,
        `Rebuilding ${label} leaves out index ${i.name}: queries of the previous release may depend on it.`,
      );
  }
  const oldConstraints: ReadonlyMap<string, ConstraintDef> = input.before.table({ name: label })?.constraints ?? new Map();
  for (const [name, def] of oldConstraints) {
    if (def.type === 'not-null') continue;
    const mapped = { ...def, columns: def.columns.map((col: string) => carriedName(carried, old, col) ?? col) };
    const kept = input.up.constraints.some((d) => d.alive && d.table === next && d.def && sameConstraintDef(mapped, d.def));
    // An unnamed constraint of a rebuilt table is often re-declared inline; only named ones are tracked by name.
    if (!kept) add({ phase: 'contract' }, 'drop-constraint', next.createdAt, `Rebuilding ${label} leaves out constraint ${name}.`);
  }
}

function carriedName(carried: Map<NetColumn, { target: NetColumn }>, old: NetTable, column: string): string | undefined {
  const source = old.columns.find((c) => c.origin === column);
  return source ? (carried.get(source)?.target.name ?? undefined) : undefined;
}

/** An index definition with its columns under the names they have now. */
function renamedDef(table: NetTable, def: IndexDef) {
  return { ...def, columns: def.columns.map((col) => table.columns.find((c) => c.origin === col)?.name ?? col) };
}

// --- where the data went ------------------------------------------------------------------------

/** A statement of the down that writes values into a table, and what it reads them from (names after the up). */
interface DownFill {
  into: string;
  /** Columns it assigns; null: every column (INSERT without a column list). */
  columns: string[] | null;
  /** Per assigned column, the columns its value reads. */
  valueReads: ColumnRef[][];
  /** Per assigned column, the tables its value reads rows of through a subquery. */
  valueTables: QName[][];
  /** Every column the statement reads (values and filters). */
  reads: ColumnRef[];
  /** Each row gets its own value: an INSERT … SELECT, an UPDATE joined or filtered, or one whose values read the row. */
  perRow: boolean;
}

type Restores = readonly DownFill[];

function restoredByDown(input: JudgeInput): Restores {
  const out: DownFill[] = [];
  for (const op of input.parsed.down ?? []) {
    if (op.kind !== 'DataChange' || (op.action !== 'insert' && op.action !== 'update')) continue;
    const reads = [
      ...(op.valueReads ?? []).flat(),
      ...(op.filterReads ?? []),
      ...(op.sources ?? []).filter((x): x is NonNullable<typeof x> => Boolean(x)),
      ...(op.selectAll ? [{ table: op.selectAll, column: '*' }] : []),
    ];
    const into = qnameKey(op.table);
    const perRow = op.action === 'insert' || (op.filterReads ?? []).length > 0 || reads.some((r) => qnameKey(r.table) === into);
    out.push({
      into,
      columns: op.columns.length ? op.columns : null,
      valueReads: op.valueReads ?? [],
      valueTables: op.valueTables ?? [],
      reads,
      perRow,
    });
  }
  return out;
}

/**
 * Every UPDATE of the up that writes this column rewrites one literal to another (`SET kind = 'b' WHERE kind = 'a'`),
 * and the down has the inverse of each (`SET kind = 'a' WHERE kind = 'b'`): the old values come back unless rows
 * held a new value already. Returns the mapping as text ("a → b, c → d"), or null.
 */
function remappedBack(input: JudgeInput, tables: ReadonlySet<string>, before: string, after: string): string | null {
  const remaps = (ops: readonly Operation[] | null | undefined, column: string) =>
    (ops ?? []).flatMap((op) => {
      if (op.kind !== 'DataChange' || op.action !== 'update' || !tables.has(qnameKey(op.table))) return [];
      const i = op.columns.indexOf(column);
      if (i < 0) return [];
      const to = op.literals?.[i] ?? null;
      const from = op.matches?.find((m) => m.column === column)?.value ?? null;
      return [{ from, to }];
    });
  const up = remaps(input.parsed.up, before);
  if (!up.length || up.some((r) => r.from === null || r.to === null || r.from === r.to)) return null;
  const down = remaps(input.parsed.down, after);
  const inverted = up.every((r) => down.some((d) => d.from === r.to && d.to === r.from));
  return inverted ? up.map((r) => `${r.from} → ${r.to}`).join(', ') : null;
}

/**
 * The down fills this column (or, without `column`, this table) from what another table still holds, row by row:
 * one value for every row (lemmy's `local_site_id = (SELECT site_id FROM local_site LIMIT 1)`) writes a new value,
 * it does not bring the old ones back.
 */
function refilled(restores: Restores, table: string, column?: string, carriers: ReadonlySet<string> = new Set()): boolean {
  return restores.some(
    (f) =>
      f.into === table &&
      (column === undefined || f.columns === null || f.columns.includes(column)) &&
      (column === undefined || f.perRow) &&
      // From another table, or from the column of its own table the up moved its values into (outline's private,
      // folded into permission and derived back from it).
      f.reads.some((r) => qnameKey(r.table) !== table || carriers.has(`${qnameKey(r.table)}.${r.column}`)),
  );
}

/** The down inserts rows into `table` from another table, naming every column it held before the migration but generated ones. */
function reinserted(restores: Restores, table: QName, before: Schema): boolean {
  const columns = before.table(table)?.columns;
  const key = qnameKey(table);
  if (!columns?.size) return false;
  return restores.some(
    (f) =>
      f.into === key &&
      f.perRow &&
      f.columns !== null &&
      // A generated column is computed again, not inserted.
      [...columns.values()].every((c) => c.generated || f.columns?.includes(c.name)) &&
      f.reads.some((r) => qnameKey(r.table) !== key),
  );
}

/**
 * Where the up put a column's values and nothing else's: the columns it copied them into or computed from this
 * column alone. A column folded together with others (two booleans into one status) cannot give each back.
 */
function carriersOf(c: NetColumn, up: NetEffect): Set<string> {
  const out = new Set<string>();
  const feeds = (x: NetColumn, target: NetColumn) => x.copies.some((k) => k.into === target) || x.flows.some((f) => f.column === target);
  const only = (target: NetColumn) => up.tables.every((t) => t.columns.every((x) => x === c || x.origin === null || !feeds(x, target)));
  for (const x of c.copies) if (x.to.name && x.into.name && only(x.into)) out.add(`${qnameKey(x.to.name)}.${x.into.name}`);
  for (const f of c.flows) if (f.to.name && f.column.name && only(f.column)) out.add(`${qnameKey(f.to.name)}.${f.column.name}`);
  return out;
}

/** The down computes this column again from other columns (a derived value it knows how to rebuild). */
function recomputed(restores: Restores, table: string, column: string): boolean {
  return restores.some((f) => {
    if (f.into !== table || !f.columns) return false;
    const i = f.columns.indexOf(column);
    // From other columns, or from the rows of another table (a count kept in sync: `(SELECT count(*) FROM users)`).
    return (
      i >= 0 &&
      ((f.valueReads[i] ?? []).some((r) => !(qnameKey(r.table) === table && r.column === column)) ||
        (f.valueTables[i] ?? []).some((t) => qnameKey(t) !== table))
    );
  });
}

/** Whether the values of these columns (of table `home`) survive a rollback: copied elsewhere, and filled again by the down. */
function copiedAway(
  home: string,
  columns: readonly NetColumn[],
  restores: Restores,
  up: NetEffect,
  wholeTable = false,
): 'no' | 'copied' | 'restored' {
  const old = columns.filter((c) => c.origin !== null);
  if (
    wholeTable
      ? refilled(restores, home)
      : old.length > 0 && old.every((c) => refilled(restores, home, c.origin as string, carriersOf(c, up)))
  )
    return 'restored';
  const kept = (c: NetColumn) => c.copies.some((x) => x.exact && x.to.name !== null);
  return old.length > 0 && old.every(kept) ? 'copied' : 'no';
}

/** A column added in this migration that took over the dropped one: its values came from it, or its name says so. */
function replacementOf(c: NetColumn, t: NetTable, added: readonly NetColumn[]): NetColumn | undefined {
  const byName = added.find((n) => n.name !== null && related(c.origin as string, n.name));
  if (byName) return byName;
  // Any column added to the same table in the same migration takes its place: the previous release had none yet.
  // One of another kind of value holds none of its values (user_id dropped, a sensitive flag added): not its replacement.
  const sameKind = (n: NetColumn) => {
    const [now, was] = [n.state.type && valueKind(n.state.type), c.before && valueKind(c.before.type)];
    // A key's values may live on as text (a uuid reference replaced by a code), but a new key holds no old text.
    return !now || !was || now === was || (was === 'uuid' && now === 'text');
  };
  const sameTable = added.find((n) => n.name !== null && t.columns.includes(n) && sameKind(n));
  if (sameTable) return sameTable;
  // Moved: its values went to a column added here, in its own table, in one that existed before, or in a table
  // made here that is no archive (umami's website.share_id copied into a new share table, then dropped).
  return c.flows.find(
    (f) =>
      f.column.origin === null &&
      f.column.name !== null &&
      f.to.name !== null &&
      (f.to.origin !== null || !isArchive(f.to)) &&
      f.to !== t.continuedBy,
  )?.column;
}

/**
 * SQLite: a table's single-column primary key declared INTEGER is the rowid (sqlite.org/lang_createtable.html,
 * "ROWID and the INTEGER PRIMARY KEY"): an INSERT that leaves it out gets the next id, as a serial's default gives.
 */
function rowidAlias(table: QName, column: string, input: JudgeInput): boolean {
  if (input.dialect !== 'sqlite') return false;
  const t = input.afterUp.table(table);
  const pk = [...(t?.constraints.values() ?? [])].find((k) => k.type === 'primary-key');
  return Boolean(
    pk && pk.columns.length === 1 && pk.columns[0] === column && t?.columns.get(column)?.type.text.toUpperCase() === 'INTEGER',
  );
}

/**
 * A table made in this migration with a foreign key to `t`: a column of `t` dropped in the same migration moves
 * into it (accounts.status dropped while account_syncs, referencing accounts, is created), so the new table is
 * the column's replacement. An archive is not.
 */
function childTable(t: NetTable, input: JudgeInput): string | undefined {
  if (t.origin === null || t.name === null) return undefined;
  const made = new Set(
    input.up.tables
      .filter((n) => n.origin === null && n.name !== null && !n.continues && !isArchive(n))
      .map((n) => qnameKey(n.name as QName)),
  );
  const self = qnameKey(t.name);
  return input.afterUp.referencing(self).find(([key]) => key !== self && made.has(key))?.[0];
}

const VALUE_KINDS = new Map<string, string>(
  Object.entries({
    number: 'int2 int4 int8 numeric float4 float8 serial bigserial smallserial tinyint mediumint',
    text: 'varchar text bpchar citext tinytext mediumtext longtext',
    uuid: 'uuid',
    bool: 'bool',
    time: 'timestamp timestamptz date time timetz datetime interval',
    json: 'json jsonb',
  }).flatMap(([kind, names]) => names.split(' ').map((n) => [n, kind] as [string, string])),
);

/** The kind of value a type holds, for telling a replacement from an unrelated new column; undefined when unsure. */
function valueKind(t: TypeRef): string | undefined {
  return t.arrayDims > 0 ? 'array' : VALUE_KINDS.get(t.name);
}

/** Tables created in this migration that the dropped table's values went to. */
function replacingTables(t: NetTable, tables: readonly NetTable[]): NetTable[] {
  const out = new Set<NetTable>();
  // Made in the same migration as the drop, it takes the dropped table's place (an archive does not).
  for (const n of tables) if (n.origin === null && n.name !== null && !n.continues && !isArchive(n)) out.add(n);
  for (const c of t.columns)
    for (const f of c.flows) {
      if (f.to.name === null || f.to === t.continuedBy) continue;
      // A table made here, or new columns of a table that stays, took over its rows.
      if (isArchive(f.to)) continue;
      if (f.to.origin === null || (f.column.origin === null && f.column.name !== null)) out.add(f.to);
    }
  return [...out];
}

/**
 * A link table dropped while a table it links gains the link's other key column (team_website(team_id, website_id)
 * dropped, website.team_id added): the relation moves from the table into that column, its replacement.
 */
function absorbingColumns(t: NetTable, tables: readonly NetTable[]): string[] {
  const own = new Set(t.columns.flatMap((c) => (c.origin ? [c.origin] : [])));
  const out: string[] = [];
  for (const n of tables) {
    if (n === t || n.origin === null || n.name === null) continue;
    // The dropped table pointed at this one (website_id for website or websites).
    const link = foreignKeyColumn(n.name.name.toLowerCase());
    if (!own.has(link)) continue;
    for (const c of n.columns)
      if (c.origin === null && c.name !== null && c.name !== link && c.name.endsWith('_id') && own.has(c.name))
        out.push(`${qnameText(n.name)}.${c.name}`);
  }
  return out;
}

/** A table an earlier member of the migration's rollback group made: the previous release never had it. */
function madeInGroup(input: JudgeInput, key: string): boolean {
  return Boolean(input.group && !input.group.before.tables.has(key) && input.before.tables.has(key));
}

/** A column an earlier member of the migration's rollback group added: it holds no value of the previous release. */
function newToGroup(input: JudgeInput, t: NetTable, column: string): boolean {
  const before = input.group?.before;
  if (!before || t.origin === null) return false;
  const table = before.tables.get(t.origin);
  // Made by an earlier member (the replay knew it before this one, not before the group), or a column added since.
  if (!table) return madeInGroup(input, t.origin);
  return !table.columnsUnknown && !table.columns.has(column) && Boolean(input.before.tables.get(t.origin)?.columns.has(column));
}

/**
 * A type change whose USING maps every value the column can hold before (a NOT NULL boolean, an enum's labels) to
 * another through a CASE of literals, and whose down changes it back with a CASE that maps each one back: the old
 * values come back. Returns the mapping as text ("false → Hide, true → Show"), or null.
 */
function mappedBackByDown(input: JudgeInput, c: NetColumn): string | null {
  const before = c.before;
  if (!c.recomputedBy || !before || input.dialect !== 'postgresql') return null;
  const domain =
    before.type.arrayDims === 0 && before.type.name === 'bool' ? ['true', 'false'] : (input.before.enums.get(before.type.name) ?? null);
  if (!domain || before.nullable !== false) return null;
  const up = caseMapping(c.recomputedBy.using);
  const down = (input.parsed.down ?? []).find(
    (op) => op.kind === 'AlterColumnType' && op.column === (c.name ?? c.origin) && op.using && !op.usingExact,
  );
  const back = down?.kind === 'AlterColumnType' && down.using ? caseMapping(down.using) : null;
  if (!up || !back || up.column !== c.origin || back.column !== (c.name ?? c.origin)) return null;
  const apply = (m: NonNullable<typeof up>, v: string) => m.whens.find(([when]) => when === v)?.[1] ?? m.otherwise;
  const pairs = domain.map((v) => [v, apply(up, v)] as const);
  if (pairs.some(([v, to]) => to === null || to === 'NULL' || apply(back, to as string) !== v)) return null;
  return pairs.map(([v, to]) => `${v} → ${to}`).join(', ');
}

/** A table of before the group that the group rebuilds by copy (x → _x_tmp, drop x, rename _x_tmp to x). */
function groupRebuildOf(input: JudgeInput, label: string): { old: NetTable; next: NetTable } | null {
  const group = input.group;
  if (!group?.before.tables.has(label)) return null;
  const old = group.net.tables.find((x) => x.origin === label && x.name === null);
  const next = old?.continuedBy;
  return old && next?.name && next.continues?.by === 'copy' && qnameKey(next.name) === label ? { old, next } : null;
}

/** The table this member drops is rebuilt by its group: where its rows went, and the columns the copy left out. */
function rebuiltInGroup(input: JudgeInput, label: string): { lost: string[] } | null {
  const rebuild = groupRebuildOf(input, label);
  if (!rebuild) return null;
  const { old, next } = rebuild;
  const carried = new Set(next.copiesIn.filter((x) => x.from === old).flatMap((x) => x.mapping.map((m) => m.source)));
  const lost = old.columns.filter((c) => c.origin !== null && !carried.has(c)).map((c) => c.origin as string);
  return { lost };
}

/** This member renames the group's copy of a table back to the table's name: the rebuild's last step. */
function renamedBackInGroup(input: JudgeInput, t: NetTable): { old: NetTable; next: NetTable } | null {
  if (!t.name || t.origin === null || qnameKey(t.name) === t.origin || input.group?.before.tables.has(t.origin)) return null;
  return groupRebuildOf(input, qnameKey(t.name));
}

/** A table that keeps copies for a rollback (twoway plan's archives, `*_archive`, `*_backup`), not one the code uses. */
function isArchive(t: NetTable): boolean {
  const name = t.name?.name.toLowerCase() ?? '';
  return t.name?.schema === 'twoway_archive' || name.includes('archive') || name.includes('backup');
}

function tableOf(c: NetColumn, tables: readonly NetTable[]): string {
  const t = tables.find((x) => x.columns.includes(c));
  return t?.name ? `${qnameText(t.name)}.${c.name}` : String(c.name);
}

function copyTargets(columns: readonly NetColumn[]): string {
  const names = new Set(
    columns.flatMap((c) => c.copies.filter((x) => x.to.name).map((x) => qnameText(x.to.name as NonNullable<NetTable['name']>))),
  );
  return [...names].join(', ');
}

// --- the down -----------------------------------------------------------------------------------

function downReasons(input: JudgeInput, down: NetEffect): Reason[] {
  const out: Reason[] = [];
  const add = (rule: string, span: Span | undefined, message: string) => {
    if (span) out.push({ effect: { dbRollback: 'lossy' }, rule, message, span, direction: 'down' });
  };
  const heldBefore = (table: string, column?: string): boolean => {
    const t = input.up.tables.find((x) => x.name && qnameKey(x.name) === table);
    if (!t) return input.before.tables.has(table) || !input.before.seenTables.has(table);
    // A table the up rebuilt carries the old table's rows: its columns hold old values when the copy carried them.
    if (t.origin === null && t.continues) {
      if (column === undefined) return true;
      const c = t.columns.find((x) => x.name === column);
      return Boolean(
        c &&
          t.copiesIn.some(
            (x) => x.from === t.continues?.table && x.mapping.some((m) => m.target === c && m.source && m.source.origin !== null),
          ),
      );
    }
    if (t.origin === null) return false;
    if (column === undefined) return true;
    const c = t.columns.find((x) => x.name === column);
    return c ? c.origin !== null : true;
  };
  for (const f of input.downFailures) add('down-references-missing', f.span, f.message);
  // A shifted down of a rollback group (kratos) may drop an index only a later version of the group makes: run one
  // version at a time, right after its own up, that index is not there yet and the DROP fails.
  const group = input.group;
  if (group)
    for (const op of input.parsed.down ?? []) {
      if (op.kind !== 'DropIndex' || op.ifExists || input.afterUp.index(op.index) || group.before.index(op.index)) continue;
      const later = group.net.indexes.some((i) => i.origin === null && (i.name === qnameKey(op.index) || i.name === op.index.name));
      if (later)
        add(
          'down-references-missing',
          op.span,
          `The down would fail: index ${qnameText(op.index)} is made only by a later version of its group, so it does not exist right after this up.`,
        );
    }
  // A statement the database itself refuses (MySQL's VARCHAR without a length) makes the down fail where it stands.
  for (const op of input.parsed.down ?? [])
    if (op.kind === 'Raw' && op.statement === 'invalid')
      add('down-fails', op.span, `The down fails here: ${op.notAnalyzed ?? 'the database refuses the statement'}.`);
  // PostgreSQL and MySQL refuse to drop a table another table still references (without CASCADE).
  if (input.dialect !== 'sqlite') {
    const dropped = down.tables.filter((t) => t.origin !== null && t.name === null && t.droppedAt && !t.dropCascade);
    for (const t of dropped) {
      if (t.origin === null) continue;
      const at = t.droppedSeq ?? 0;
      const before = (seq: number | undefined) => seq !== undefined && seq < at;
      for (const [key, other] of input.afterUp.referencing(t.origin)) {
        if (key === t.origin) continue;
        const fks = [...other.constraints.entries()].filter(
          ([, k]) => k.type === 'foreign-key' && k.references && qnameKey(k.references.table) === t.origin,
        );
        if (!fks.length) continue;
        const referrer = down.tables.find((x) => x.origin === key);
        if (before(referrer?.droppedSeq)) continue;
        // Each reference is gone first if its constraint or one of its columns was dropped before the table.
        const live = fks.some(
          ([name, k]) =>
            !before(down.constraints.find((c) => c.table === referrer && c.origin === name)?.droppedSeq) &&
            !k.columns.some((col) => before(referrer?.columns.find((c) => c.origin === col)?.droppedSeq)),
        );
        if (live) {
          add(
            'down-references-missing',
            t.droppedAt,
            `The down drops table ${t.origin} while ${key} still references it: the database refuses, and the rollback stops there.`,
          );
          break;
        }
      }
    }
  }
  // A down that deletes rows of a table that stays loses them, unless it only takes back the rows its up inserted
  // (a seed) and no foreign key cascades the delete into other tables.
  for (const t of down.tables) {
    if (t.origin === null || t.name === null || !t.deletedAt || !heldBefore(t.origin)) continue;
    const seeded = input.up.tables.some((u) => u.name && qnameKey(u.name) === t.origin && u.insertedAt);
    const cascades = input.afterUp
      .referencing(t.origin)
      .some(([, other]) =>
        [...other.constraints.values()].some(
          (k) =>
            k.type === 'foreign-key' && k.references && qnameKey(k.references.table) === t.origin && k.references.onDelete === 'cascade',
        ),
      );
    if (seeded && !cascades) continue;
    const why = cascades ? ' and, through ON DELETE CASCADE, the rows that reference them' : '';
    add(
      'delete-rows',
      t.deletedAt,
      `The down deletes rows of ${t.origin}${why}: rows the new release wrote (or that were there before) are lost.`,
    );
  }
  // Deleting labels from the catalog removes enum values as surely as a rebuild.
  for (const c of down.catalogChanges) {
    if (c.table === 'pg_enum' && c.action === 'delete')
      add(
        'down-removes-enum-value',
        c.span,
        'The down deletes enum values from pg_enum: rows the new release wrote with them are left with a label that no longer exists.',
      );
  }
  for (const t of down.tables) {
    if (t.origin === null) continue;
    if (t.name === null) {
      if (heldBefore(t.origin) && !t.continuedBy)
        add('down-does-not-undo', t.droppedAt, `The down drops table ${t.origin}, which existed before the up: its rows are lost.`);
      if (t.continuedBy) {
        for (const c of t.columns) {
          if (c.origin === null || c.name === null || !heldBefore(t.origin, c.origin)) continue;
          const carried = t.continuedBy.copiesIn.some((x) => x.from === t && x.mapping.some((m) => m.source === c));
          if (!carried)
            add(
              'down-does-not-undo',
              t.continuedBy.createdAt,
              `The down rebuilds ${t.origin} without column ${c.origin}, which existed before the up: its values are lost.`,
            );
        }
        // The rebuilt table declares NOT NULL on a column that was nullable after the up: NULLs written since stop the
        // copy, or the down deletes their rows first.
        for (const copy of t.continuedBy.copiesIn.filter((x) => x.from === t))
          for (const m of copy.mapping) {
            const source = m.source;
            if (!source || source.origin === null || m.target.state.nullable !== false || source.before?.nullable !== true) continue;
            add(
              'down-readds-not-null',
              t.continuedBy.createdAt,
              `The down rebuilds ${t.origin} with ${m.target.name} NOT NULL: it fails, or loses rows, once a NULL was written after the up.`,
            );
          }
      }
      continue;
    }
    const table = t.origin;
    for (const c of t.columns) {
      if (c.origin === null) continue;
      // Swapped back for a copy under its own name through an expression (substr(url, 1, 1024)): the values the
      // expression changes, written after the up, are lost.
      const inexact = c.name === null && c.copies.find((x) => x.to === t && x.into.origin === null && x.into.name === c.origin && !x.exact);
      if (inexact)
        add(
          'down-does-not-undo',
          inexact.span,
          `The down copies ${table}.${c.origin} into its replacement through an expression: values written after the up that it changes are lost.`,
        );
      const was = c.before;
      const s = c.state;
      // A statement that fails stops the down, even if a later one would drop the column.
      // Strings cast to an enum fit only when they are its labels: a down back to the enum fails on any other value.
      const toEnum = (t: TypeRef) => t.arrayDims === 0 && (input.before.enums.has(t.name) || down.enums.some((e) => e.name === t.name));
      const backToEnum = was && s.type && ['varchar', 'text', 'bpchar', 'citext'].includes(was.type.name) && toEnum(s.type);
      // SQLite enforces no length or range and converts a value by affinity only when that is lossless (see
      // sqliteTypeChange): going back to any declared type cuts nothing.
      const sqliteKeeps = input.dialect === 'sqlite';
      if (c.typeAt && s.type && was && !sqliteKeeps && (fitsIn(was.type, s.type) === false || backToEnum)) {
        add(
          'down-renarrows-type',
          c.typeAt,
          `The down changes ${table}.${c.origin} back from ${was.type.text} to ${s.type.text}: values written after the up may not fit, and the down fails or cuts them.`,
        );
      }
      // MySQL: a key column going back from a case-sensitive collation (utf8mb4_bin) to a case-insensitive one makes
      // rows written after the up that differ only in case collide on the key: the ALTER fails.
      const caseSensitive = (x: string | undefined) => Boolean(x && (x.endsWith('_bin') || x.includes('_cs') || x === 'binary'));
      if (input.dialect === 'mysql' && c.typeAt && s.type && was && caseSensitive(was.type.collation) && !caseSensitive(s.type.collation)) {
        const after = input.afterUp.tables.get(table);
        const keyed =
          [...(after?.constraints.values() ?? [])].some(
            (k) => (k.type === 'primary-key' || k.type === 'unique') && k.columns.includes(c.origin as string),
          ) || [...input.afterUp.indexes.values()].some((i) => i.table === table && i.unique && i.columns.includes(c.origin as string));
        if (keyed)
          add(
            'down-readds-constraint',
            c.typeAt,
            `The down makes ${table}.${c.origin} case-insensitive again (${was.type.collation} → ${s.type.collation ?? "the table's default collation"}): rows written after the up that differ only in case collide on its key, and the down fails.`,
          );
      }
      const filledFirst = c.overwrittenAt && c.nullAt && c.overwrittenAt.line <= c.nullAt.line;
      if (c.nullAt && s.nullable === false && (was?.nullable ?? true) && !filledFirst) {
        add(
          'down-readds-not-null',
          c.nullAt,
          `The down makes ${table}.${c.origin} NOT NULL: it fails once a NULL was written after the up.`,
        );
      }
      if (c.name === null && heldBefore(table, c.origin)) {
        add('down-does-not-undo', c.droppedAt, `The down drops ${table}.${c.origin}, which existed before the up: its values are lost.`);
      }
    }
    // A column the down adds back and makes NOT NULL, filled only from columns that may be NULL after the up
    // (imports.account_id from original_account_id, which the new release's rows leave empty): the NOT NULL fails.
    for (const c of t.columns) {
      if (c.origin !== null || c.name === null || c.state.nullable !== false || (c.state.default ?? null) !== null || !c.nullAt) continue;
      if (!c.filledAt) continue;
      const sources = t.columns.flatMap((x) => x.copies.filter((k) => k.into === c).map(() => x));
      const nullable = (x: NetColumn) => x.origin !== null && input.afterUp.column(t.name as QName, x.origin)?.nullable === true;
      if (sources.length && sources.every(nullable))
        add(
          'down-readds-not-null',
          c.nullAt,
          `The down makes ${table}.${c.name} NOT NULL after filling it from ${sources.map((x) => x.origin).join(', ')}, which may be NULL in rows written after the up: it fails there.`,
        );
    }
  }
  // Uniqueness the schema after the up already enforced cannot fail when the down adds it back in another form.
  const enforcedAfterUp = (table: string, columns: readonly string[], references?: string) => {
    const t = input.afterUp.tables.get(table);
    const same = (cols: readonly string[]) => cols.join(',') === columns.join(',');
    // A foreign key on the same columns to the same table (another ON DELETE, say) kept every row the down's will check.
    if (references !== undefined)
      return [...(t?.constraints.values() ?? [])].some(
        (k) => k.type === 'foreign-key' && same(k.columns) && k.references?.table.name === references,
      );
    // A key of expressions over these columns only (UNIQUE (lower(name)) for UNIQUE (name)) is stricter: rows that
    // keep it keep this one too. Index expressions are immutable, so equal columns give equal keys.
    const implies = (cols: readonly string[]) =>
      same(cols) ||
      (input.dialect === 'postgresql' &&
        cols.every((item) => columns.includes(item) || (columnsOfExpression(item)?.every((c) => columns.includes(c)) ?? false)) &&
        cols.some((item) => !columns.includes(item)) &&
        cols.flatMap((item) => (columns.includes(item) ? [item] : (columnsOfExpression(item) ?? []))).length > 0);
    // A key computed from this one's items alone (canon_crate_name(name), a SQL function of lower(name), for
    // lower(name)): rows equal on this key are equal on that one, so that key's uniqueness already held this one.
    const functionSql = (name: string) => input.afterUp.objects.get(`function ${name}`);
    const computedFrom = (cols: readonly string[]) =>
      input.dialect === 'postgresql' && cols.length > 0 && cols.every((item) => determinedBy(item, columns, functionSql));
    return (
      [...(t?.constraints.values() ?? [])].some((k) => (k.type === 'unique' || k.type === 'primary-key') && same(k.columns)) ||
      [...input.afterUp.indexes.values()].some(
        (i) => i.table === table && i.unique && !i.where && (implies(i.columns) || computedFrom(i.columns)),
      )
    );
  };
  for (const c of down.constraints) {
    if (c.origin !== null || !c.alive || !c.def || c.table.origin === null || c.def.type === 'not-null' || c.def.type === 'primary-key')
      continue;
    if (c.def.notValid) continue;
    if (c.def.type === 'unique' && enforcedAfterUp(c.table.origin, c.def.columns)) continue;
    if (c.def.type === 'foreign-key' && c.def.references && enforcedAfterUp(c.table.origin, c.def.columns, c.def.references.table.name))
      continue;
    const cols = c.def.columns;
    const onOldValues = cols.length > 0 && cols.every((col) => c.table.columns.some((x) => x.name === col && x.origin !== null));
    if (onOldValues)
      add(
        'down-readds-constraint',
        c.createdAt,
        `The down adds constraint ${c.name} on ${c.table.origin} (${cols.join(', ')}): it fails if rows written after the up break it.`,
      );
  }
  for (const i of down.indexes) {
    if (i.origin !== null || !i.alive || !i.def?.unique || !i.table || i.table.origin === null) continue;
    const table = i.table;
    if (!i.def.where && enforcedAfterUp(table.origin as string, i.def.columns)) continue;
    // An expression (lower(name)) reads the table's old values too; only columns the down itself adds are empty.
    const onOldValues = i.def.columns.every((col) => !table.columns.some((x) => x.name === col && x.origin === null));
    if (onOldValues)
      add(
        'down-readds-constraint',
        i.createdAt,
        `The down builds unique index ${i.name} on ${table.origin}: it fails if rows written after the up share a value.`,
      );
  }
  for (const e of down.enums) {
    if (e.origin === null || !e.beforeValues) continue;
    const after = e.name === e.origin ? e : down.enums.find((x) => x.name === e.origin && x !== e);
    const now = after?.values;
    if (!now) continue;
    const renamed = new Set(e.valueRenames.map((r) => r.from));
    const gone = e.beforeValues.filter((v) => !now.includes(v) && !renamed.has(v));
    if (gone.length)
      add(
        'down-removes-enum-value',
        (after !== e ? after?.createdAt : undefined) ?? e.lastChange ?? e.droppedAt,
        `The down removes the value(s) ${gone.map((v) => `'${v}'`).join(', ')} of ${e.origin}: rows the new release wrote with them block or lose it.`,
      );
  }
  return out;
}

// --- helpers ------------------------------------------------------------------------------------

/** One reason per rule and statement: a statement that fills one column and overwrites another is one data step. */
function merged(reasons: Reason[]): Reason[] {
  const out: Reason[] = [];
  const at = new Map<string, Reason>();
  for (const r of reasons) {
    const key = `${r.rule}\0${r.direction}\0${r.span.path}\0${r.span.line}\0${r.span.column}`;
    const same = at.get(key);
    if (!same) {
      const copy = { ...r, effect: { ...r.effect } };
      out.push(copy);
      at.set(key, copy);
      continue;
    }
    const e = same.effect;
    if (r.effect.phase && (!e.phase || PHASE_RANK[r.effect.phase] > PHASE_RANK[e.phase])) e.phase = r.effect.phase;
    if (r.effect.codeRollback) e.codeRollback = r.effect.codeRollback;
    if (r.effect.dbRollback && e.dbRollback !== 'irreversible') e.dbRollback = r.effect.dbRollback;
    if (r.evidence) same.evidence = [...(same.evidence ?? []), ...r.evidence];
    if (r.evidenceSummary) same.evidenceSummary ??= r.evidenceSummary;
    if (!same.message.includes(r.message)) same.message = `${same.message} ${r.message}`;
  }
  return out;
}

/** A column of an enum re-created under its own name: the labels it had before may be gone. */
function enumLosesValues(t: TypeRef, types: TypeContext): boolean {
  const before = types.enumValuesBefore(t.name);
  const now = types.enumValues(t.name);
  return Boolean(before && now && before.some((v) => !now.includes(v)));
}

function sameType(a: TypeRef, b: TypeRef): boolean {
  return a.name === b.name && a.arrayDims === b.arrayDims && a.args.join(',') === b.args.join(',');
}

/** Names of a column and its replacement: bracket / bracket_id, created / created_at, userId / user_id. */
export function related(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/_/g, '');
  const y = b.toLowerCase().replace(/_/g, '');
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= 3 && long.startsWith(short) && long.length - short.length <= 4;
}

/** The last of the spans: where a column's final state was decided. */
function latest(...spans: Array<Span | undefined>): Span | undefined {
  return spans
    .filter((s): s is Span => Boolean(s))
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .at(-1);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
