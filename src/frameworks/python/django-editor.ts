// Django's schema editor, replayed on paper: Django operations + the project state → IR for the up and the derived down.
import { type ColumnDef, type ConstraintDef, constraintDef, type Dialect, type Operation, type QName, type Span } from '../../ir.js';
import type { AdapterNote, Directive, ReadError, SourceText } from '../../migration.js';
import { type SyntaxNode, spanOf } from './ast.js';
import { type DjangoField, djangoIndexName } from './django-fields.js';
import type { DjangoConstraint, DjangoIndex, DjangoOp, ModelOptions, SqlArgument } from './django-operations.js';
import { embeddedSql } from './embedded-sql.js';

export interface ModelState {
  app: string;
  name: string;
  table: string;
  fields: DjangoField[];
  options: ModelOptions;
}

/** Every model of the project, by `app.model` (lower case). */
export type ProjectState = Map<string, ModelState>;

export function cloneState(state: ProjectState): ProjectState {
  return new Map(
    [...state].map(([k, m]) => [
      k,
      {
        ...m,
        fields: [...m.fields],
        options: {
          ...m.options,
          indexes: [...m.options.indexes],
          constraints: [...m.options.constraints],
          uniqueTogether: [...m.options.uniqueTogether],
        },
      },
    ]),
  );
}

export interface Translation {
  up: Operation[];
  /** Null when Django cannot reverse one of the operations. */
  down: Operation[] | null;
  notes: AdapterNote[];
  errors: ReadError[];
  directives: Directive[];
}

type Cannot = { cannot: string; node: SyntaxNode };

/** Translates one migration's operations, advancing `state` past it. */
export function translateMigration(ops: DjangoOp[], app: string, state: ProjectState, source: SourceText, dialect: Dialect): Translation {
  const out: Translation = { up: [], down: [], notes: [], errors: [], directives: [] };
  const editor = new Editor(app, source, dialect, out);
  const inverses: DjangoOp[] = [];
  const cannot: Cannot[] = [];
  for (const op of ops) {
    const inverse = editor.inverse(op, state);
    if ('cannot' in inverse) cannot.push(inverse);
    else inverses.unshift(...inverse);
    out.up.push(...editor.apply(op, state, 'up'));
  }
  for (const c of cannot) {
    out.notes.push({
      rule: 'framework-cannot-reverse',
      message: `Django cannot reverse ${c.cannot}: migrating back past this migration raises IrreversibleError.`,
      fix: c.cannot.startsWith('RunSQL')
        ? 'Give RunSQL a reverse_sql (or reverse_sql=migrations.RunSQL.noop when there is nothing to undo).'
        : 'Give RunPython a reverse_code (or reverse_code=migrations.RunPython.noop when there is nothing to undo).',
      span: spanOf(c.node, source),
    });
  }
  if (cannot.length) {
    out.down = null;
    return out;
  }
  const downState = cloneState(state);
  for (const inverse of inverses) out.down?.push(...editor.apply(inverse, downState, 'down'));
  return out;
}

class Editor {
  constructor(
    private readonly app: string,
    private readonly source: SourceText,
    private readonly dialect: Dialect,
    private readonly out: Translation,
  ) {}

  private base(node: SyntaxNode): { span: Span; text: string } {
    return { span: spanOf(node, this.source), text: node.text };
  }

  private key(model: string): string {
    return model.includes('.') ? model : `${this.app}.${model}`;
  }

  private model(state: ProjectState, model: string): ModelState | undefined {
    return state.get(this.key(model));
  }

  private tableOf(state: ProjectState, model: string): QName {
    const m = this.model(state, model);
    if (m) return { name: m.table };
    const [app, name] = this.key(model).split('.');
    return { name: `${app}_${name}` };
  }

  /** The Django operations that undo `op`, computed from the state before it; `cannot` when Django has none. */
  inverse(op: DjangoOp, state: ProjectState): DjangoOp[] | Cannot {
    const node = op.node;
    const unknown = (why: string): DjangoOp[] => [{ node, type: 'Unknown', why }];
    switch (op.type) {
      case 'CreateModel':
        return [{ node, type: 'DeleteModel', model: op.model }];
      case 'DeleteModel': {
        const m = this.model(state, op.model);
        if (!m) return unknown(`the model ${op.model} is not in the migration history, so its re-creation is unknown`);
        return [{ node, type: 'CreateModel', model: op.model, fields: m.fields, options: { ...m.options, dbTable: m.table } }];
      }
      case 'AddField':
        return [{ node, type: 'RemoveField', model: op.model, name: op.field.name }];
      case 'RemoveField':
      case 'AlterField': {
        const name = op.type === 'RemoveField' ? op.name : op.field.name;
        const old = this.model(state, op.model)?.fields.find((f) => f.name === name);
        if (!old) return unknown(`the field ${op.model}.${name} is not in the migration history, so its previous definition is unknown`);
        return [{ node, type: op.type === 'RemoveField' ? 'AddField' : 'AlterField', model: op.model, field: old }];
      }
      case 'RenameField':
        return [{ node, type: 'RenameField', model: op.model, from: op.to, to: op.from }];
      case 'RenameModel':
        return [{ node, type: 'RenameModel', from: op.to, to: op.from }];
      case 'AlterModelTable':
        return [{ node, type: 'AlterModelTable', model: op.model, table: this.tableOf(state, op.model).name }];
      case 'AddIndex':
        return [{ node, type: 'RemoveIndex', model: op.model, name: op.index.name, concurrently: op.concurrently }];
      case 'RemoveIndex': {
        const index = this.model(state, op.model)?.options.indexes.find((i) => i.name === op.name);
        if (!index) return unknown(`the index ${op.name} is not in the migration history`);
        return [{ node, type: 'AddIndex', model: op.model, index, concurrently: op.concurrently }];
      }
      case 'AddConstraint':
        return [{ node, type: 'RemoveConstraint', model: op.model, name: op.constraint.name }];
      case 'RemoveConstraint': {
        const constraint = this.model(state, op.model)?.options.constraints.find((c) => c.name === op.name);
        if (!constraint) return unknown(`the constraint ${op.name} is not in the migration history`);
        return [{ node, type: 'AddConstraint', model: op.model, constraint }];
      }
      case 'AlterUniqueTogether':
        return [{ node, type: 'AlterUniqueTogether', model: op.model, sets: this.model(state, op.model)?.options.uniqueTogether ?? [] }];
      case 'RunSQL':
        if (!op.reverse) return { cannot: 'RunSQL without reverse_sql', node };
        return [{ node, type: 'RunSQL', sql: op.reverse, reverse: null }];
      case 'RunPython':
        if (op.reverse === 'none') return { cannot: 'RunPython without reverse_code', node };
        return [{ node, type: 'RunPython', code: op.reverse === 'noop' ? 'RunPython.noop' : op.reverse, reverse: 'none' }];
      case 'SeparateDatabaseAndState': {
        const database = this.inverseAll(op.database, cloneState(state));
        const stateOps = this.inverseAll(op.state, cloneState(state));
        if ('cannot' in database) return database;
        if ('cannot' in stateOps) return stateOps;
        return [{ node, type: 'SeparateDatabaseAndState', database, state: stateOps }];
      }
      case 'StateOnly':
        return [op];
      case 'Unknown':
        return unknown(op.why);
    }
  }

  private inverseAll(ops: DjangoOp[], scratch: ProjectState): DjangoOp[] | Cannot {
    const out: DjangoOp[] = [];
    const silent = new Editor(this.app, this.source, this.dialect, { up: [], down: [], notes: [], errors: [], directives: [] });
    for (const op of ops) {
      const inverse = silent.inverse(op, scratch);
      if ('cannot' in inverse) return inverse;
      out.unshift(...inverse);
      silent.apply(op, scratch, 'up');
    }
    return out;
  }

  /** The IR of one operation; advances `state`. */
  apply(op: DjangoOp, state: ProjectState, direction: 'up' | 'down'): Operation[] {
    const base = this.base(op.node);
    switch (op.type) {
      case 'CreateModel': {
        const table = op.options.dbTable ?? `${this.key(op.model).replace('.', '_')}`;
        const model: ModelState = {
          app: this.key(op.model).split('.')[0] ?? this.app,
          name: op.model,
          table,
          fields: [...op.fields],
          options: op.options,
        };
        state.set(this.key(op.model), model);
        if (!op.options.managed || op.options.proxy) return [];
        return this.createTable(base, model, state);
      }
      case 'DeleteModel': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        state.delete(this.key(op.model));
        if (m && (!m.options.managed || m.options.proxy)) return [];
        const through = (m?.fields ?? [])
          .filter((f) => f.manyToMany)
          .map((f): Operation => dropTable(base, { name: `${table.name}_${f.column}` }));
        return [...through, dropTable(base, table)];
      }
      case 'AddField': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        m?.fields.push(op.field);
        if (op.field.manyToMany) return this.throughTable(base, table.name, this.key(op.model), op.field, state);
        return this.addField(base, table, op.field, state);
      }
      case 'RemoveField': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        const field = m?.fields.find((f) => f.name === op.name);
        if (m) m.fields = m.fields.filter((f) => f.name !== op.name);
        if (field?.manyToMany) return [dropTable(base, { name: `${table.name}_${field.column}` })];
        return [{ kind: 'DropColumn', ...base, table, column: field?.column ?? op.name, ifExists: false, cascade: true }];
      }
      case 'AlterField': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        const old = m?.fields.find((f) => f.name === op.field.name);
        if (m) m.fields = m.fields.map((f) => (f.name === op.field.name ? op.field : f));
        if (!old)
          return [
            {
              kind: 'Raw',
              ...base,
              statement: 'AlterField',
              notAnalyzed: `the field ${op.model}.${op.field.name} is not in the migration history: its change is unknown`,
            },
          ];
        return this.alterField(base, table, old, op.field, state);
      }
      case 'RenameField': {
        const m = this.model(state, op.model);
        const field = m?.fields.find((f) => f.name === op.from);
        if (!m || !field) return [{ kind: 'RenameColumn', ...base, table: this.tableOf(state, op.model), column: op.from, newName: op.to }];
        const renamed = {
          ...field,
          name: op.to,
          column: field.column === field.name ? op.to : field.column === `${op.from}_id` ? `${op.to}_id` : field.column,
        };
        m.fields = m.fields.map((f) => (f === field ? renamed : f));
        if (renamed.column === field.column) return [];
        return [{ kind: 'RenameColumn', ...base, table: { name: m.table }, column: field.column, newName: renamed.column }];
      }
      case 'RenameModel': {
        const from = this.key(op.from);
        const to = this.key(op.to);
        const m = state.get(from);
        const oldTable = this.tableOf(state, op.from).name;
        const derived = !m || m.table === from.replace('.', '_');
        const newTable = derived ? to.replace('.', '_') : oldTable;
        state.delete(from);
        if (m) state.set(to, { ...m, name: op.to, table: newTable });
        for (const model of state.values()) {
          model.fields = model.fields.map((f) => (f.relation?.to === from ? { ...f, relation: { ...f.relation, to } } : f));
        }
        return newTable === oldTable ? [] : [{ kind: 'RenameTable', ...base, table: { name: oldTable }, newName: newTable }];
      }
      case 'AlterModelTable': {
        const m = this.model(state, op.model);
        const oldTable = this.tableOf(state, op.model).name;
        const newTable = op.table ?? this.key(op.model).replace('.', '_');
        if (m) m.table = newTable;
        return newTable === oldTable ? [] : [{ kind: 'RenameTable', ...base, table: { name: oldTable }, newName: newTable }];
      }
      case 'AddIndex': {
        const m = this.model(state, op.model);
        m?.options.indexes.push(op.index);
        return [{ ...this.indexOp(base, state, op.model, op.index), concurrently: op.concurrently }];
      }
      case 'RemoveIndex': {
        const m = this.model(state, op.model);
        if (m) m.options.indexes = m.options.indexes.filter((i) => i.name !== op.name);
        return [{ kind: 'DropIndex', ...base, index: { name: op.name }, concurrently: op.concurrently, ifExists: false }];
      }
      case 'AddConstraint': {
        const m = this.model(state, op.model);
        m?.options.constraints.push(op.constraint);
        return [this.constraintOp(base, state, op.model, op.constraint)];
      }
      case 'RemoveConstraint': {
        const m = this.model(state, op.model);
        const old = m?.options.constraints.find((c) => c.name === op.name);
        if (m) m.options.constraints = m.options.constraints.filter((c) => c.name !== op.name);
        // A unique constraint with a condition is a partial unique index in PostgreSQL.
        if (old?.type === 'unique' && old.condition)
          return [{ kind: 'DropIndex', ...base, index: { name: op.name }, concurrently: false, ifExists: false }];
        return [{ kind: 'DropConstraint', ...base, table: this.tableOf(state, op.model), name: op.name, ifExists: false }];
      }
      case 'AlterUniqueTogether': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        const old = m?.options.uniqueTogether ?? [];
        if (m) m.options.uniqueTogether = op.sets;
        const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
        const columns = (set: string[]) => set.map((f) => this.column(m, f));
        const removed = old.filter((o) => !op.sets.some((s) => same(s, o)));
        const added = op.sets.filter((s) => !old.some((o) => same(s, o)));
        return [
          ...removed.map(
            (s): Operation => ({
              kind: 'DropConstraint',
              ...base,
              table,
              name: djangoIndexName(table.name, columns(s), '_uniq'),
              ifExists: false,
            }),
          ),
          ...added.map(
            (s): Operation => ({
              kind: 'AddConstraint',
              ...base,
              table,
              constraint: constraintDef('unique', columns(s), { name: djangoIndexName(table.name, columns(s), '_uniq') }),
            }),
          ),
        ];
      }
      case 'RunSQL':
        return this.runSql(op.node, op.sql);
      case 'RunPython':
        if (direction === 'up') {
          this.out.notes.push({
            rule: 'not-analyzed',
            message: `not analyzed: RunPython(${op.code}) runs application code twoway never executes`,
            fix: 'Review the function by hand; for schema changes use the migration operations, for SQL use RunSQL so twoway can check it.',
            span: base.span,
          });
        }
        // Kept as an operation so the migration has an up/down at this place (ignore comments, rehearsal).
        return [{ kind: 'Raw', ...base, statement: op.code === 'RunPython.noop' ? 'RunPython.noop' : 'RunPython', notAnalyzed: null }];
      case 'SeparateDatabaseAndState': {
        const scratch = cloneState(state);
        const ops = op.database.flatMap((o) => this.apply(o, scratch, direction));
        for (const o of op.state) this.apply(o, state, direction);
        return ops;
      }
      case 'StateOnly':
        return [];
      case 'Unknown':
        return [{ kind: 'Raw', ...base, statement: 'django-operation', notAnalyzed: op.why }];
    }
  }

  private runSql(node: SyntaxNode, sql: SqlArgument): Operation[] {
    if (sql.type === 'noop') return [{ kind: 'Raw', ...this.base(node), statement: 'RunSQL.noop', notAnalyzed: null }];
    if (sql.type === 'unreadable')
      return [{ kind: 'Raw', ...this.base(node), statement: 'RunSQL', notAnalyzed: 'SQL built at run time (not a string literal)' }];
    return sql.nodes.flatMap((n) => {
      const parsed = embeddedSql(n, this.source, this.dialect);
      if (!parsed) return [];
      this.out.errors.push(...parsed.errors);
      this.out.directives.push(...parsed.directives);
      return parsed.ops;
    });
  }

  private column(m: ModelState | undefined, field: string): string {
    const name = field.replace(/^-/, '');
    return m?.fields.find((f) => f.name === name)?.column ?? name;
  }

  /** The column type a relation gets: the target's primary key type (identity dropped). */
  private columnDef(f: DjangoField, state: ProjectState): ColumnDef {
    const target = f.relation ? state.get(f.relation.to) : undefined;
    const pk = target?.fields.find((t) => (f.relation?.column === 'id' ? t.primaryKey : t.column === f.relation?.column));
    return {
      name: f.column,
      type: pk ? pk.type : f.type,
      nullable: f.null,
      default: f.dbDefault,
      primaryKey: f.primaryKey,
      unique: f.unique && !f.primaryKey,
      generated: false,
      identity: f.identity,
      references: null,
    };
  }

  private target(f: DjangoField, state: ProjectState): { table: QName; columns: string[] } | null {
    if (!f.relation?.constraint) return null;
    const target = state.get(f.relation.to);
    const pk = target?.fields.find((t) => t.primaryKey)?.column ?? 'id';
    return {
      table: { name: target?.table ?? f.relation.to.replace('.', '_') },
      columns: [f.relation.column === 'id' ? pk : f.relation.column],
    };
  }

  /** Foreign key (DEFERRABLE INITIALLY DEFERRED in PostgreSQL), its index, and the _like index of indexed text columns. */
  private fieldExtras(
    base: { span: Span; text: string },
    table: QName,
    f: DjangoField,
    state: ProjectState,
    inCreate: boolean,
  ): { constraints: ConstraintDef[]; after: Operation[] } {
    const constraints: ConstraintDef[] = [];
    const after: Operation[] = [];
    const target = this.target(f, state);
    if (target) {
      const fk = constraintDef('foreign-key', [f.column], {
        name: djangoIndexName(table.name, [f.column], `_fk_${target.table.name}_${target.columns[0]}`),
        references: target,
      });
      if (inCreate) constraints.push(fk);
      else after.push({ kind: 'AddConstraint', ...base, table, constraint: fk });
    }
    if (f.positive)
      constraints.push(constraintDef('check', [f.column], { name: `${table.name}_${f.column}_check`, expression: `"${f.column}" >= 0` }));
    if (f.dbIndex && !f.unique && !f.primaryKey) after.push(indexOp(base, table, djangoIndexName(table.name, [f.column], ''), [f.column]));
    const text = ['varchar', 'text'].includes(f.type.name) && f.type.arrayDims === 0;
    if (text && (f.dbIndex || f.unique) && !f.primaryKey && this.dialect === 'postgresql')
      after.push(indexOp(base, table, djangoIndexName(table.name, [f.column], '_like'), [f.column]));
    return { constraints, after };
  }

  private createTable(base: { span: Span; text: string }, m: ModelState, state: ProjectState): Operation[] {
    const table = { name: m.table };
    const columns: ColumnDef[] = [];
    const constraints: ConstraintDef[] = [];
    const after: Operation[] = [];
    for (const f of m.fields) {
      if (f.manyToMany) {
        after.push(...this.throughTable(base, m.table, `${m.app}.${m.name}`, f, state));
        continue;
      }
      columns.push(this.columnDef(f, state));
      if (f.primaryKey) constraints.push(constraintDef('primary-key', [f.column], { name: `${m.table}_pkey` }));
      if (f.unique && !f.primaryKey) constraints.push(constraintDef('unique', [f.column], { name: `${m.table}_${f.column}_key` }));
      const extras = this.fieldExtras(base, table, f, state, true);
      constraints.push(...extras.constraints);
      after.push(...extras.after);
    }
    for (const set of m.options.uniqueTogether) {
      const cols = set.map((f) => this.column(m, f));
      constraints.push(constraintDef('unique', cols, { name: djangoIndexName(m.table, cols, '_uniq') }));
    }
    for (const index of m.options.indexes) after.push(this.indexOp(base, state, `${m.app}.${m.name}`, index));
    for (const c of m.options.constraints) after.push(this.constraintOp(base, state, `${m.app}.${m.name}`, c));
    return [{ kind: 'CreateTable', ...base, table, columns, constraints, ifNotExists: false, derived: false }, ...after];
  }

  /** A ManyToManyField's join table: id, <from>_id, <to>_id, unique together. */
  private throughTable(
    base: { span: Span; text: string },
    fromTable: string,
    fromKey: string,
    f: DjangoField,
    state: ProjectState,
  ): Operation[] {
    const name = `${fromTable}_${f.column}`;
    const from = fromKey.split('.')[1] ?? 'from';
    const toKey = f.relation?.to ?? '?.?';
    const to = toKey.split('.')[1] ?? 'to';
    const [fromCol, toCol] = from === to ? [`from_${from}_id`, `to_${to}_id`] : [`${from}_id`, `${to}_id`];
    const int8 = { name: 'int8', args: [], arrayDims: 0, text: 'int8' };
    const col = (n: string, pk = false): ColumnDef => ({
      name: n,
      type: int8,
      nullable: false,
      default: null,
      primaryKey: pk,
      unique: false,
      generated: false,
      identity: pk,
      references: null,
    });
    const toTable = state.get(toKey)?.table ?? toKey.replace('.', '_');
    return [
      {
        kind: 'CreateTable',
        ...base,
        table: { name },
        columns: [col('id', true), col(fromCol), col(toCol)],
        constraints: [
          constraintDef('primary-key', ['id'], { name: `${name}_pkey` }),
          constraintDef('foreign-key', [fromCol], {
            name: djangoIndexName(name, [fromCol], `_fk_${fromTable}_id`),
            references: { table: { name: fromTable }, columns: ['id'] },
          }),
          constraintDef('foreign-key', [toCol], {
            name: djangoIndexName(name, [toCol], `_fk_${toTable}_id`),
            references: { table: { name: toTable }, columns: ['id'] },
          }),
          constraintDef('unique', [fromCol, toCol], { name: djangoIndexName(name, [fromCol, toCol], '_uniq') }),
        ],
        ifNotExists: false,
        derived: false,
      },
      indexOp(base, { name }, djangoIndexName(name, [fromCol], ''), [fromCol]),
      indexOp(base, { name }, djangoIndexName(name, [toCol], ''), [toCol]),
    ];
  }

  /**
   * AddField: a default Django applies in Python is written as the column's DEFAULT for the rows that exist,
   * then dropped in the same migration; db_default stays.
   */
  private addField(base: { span: Span; text: string }, table: QName, f: DjangoField, state: ProjectState): Operation[] {
    const def = f.dbDefault ?? f.default;
    const column = { ...this.columnDef(f, state), default: def };
    const ops: Operation[] = [{ kind: 'AddColumn', ...base, table, column, ifNotExists: false }];
    if (f.default && !f.dbDefault) ops.push({ kind: 'SetDefault', ...base, table, column: f.column, default: null });
    const extras = this.fieldExtras(base, table, f, state, false);
    for (const c of extras.constraints) ops.push({ kind: 'AddConstraint', ...base, table, constraint: c });
    ops.push(...extras.after);
    return ops;
  }

  private alterField(base: { span: Span; text: string }, table: QName, old: DjangoField, f: DjangoField, state: ProjectState): Operation[] {
    const ops: Operation[] = [];
    let column = old.column;
    const oldTarget = this.target(old, state);
    const newTarget = this.target(f, state);
    const fkName = (field: DjangoField, t: NonNullable<typeof oldTarget>) =>
      djangoIndexName(table.name, [field.column], `_fk_${t.table.name}_${t.columns[0]}`);
    if (oldTarget && (!newTarget || newTarget.table.name !== oldTarget.table.name))
      ops.push({ kind: 'DropConstraint', ...base, table, name: fkName(old, oldTarget), ifExists: false });
    if (old.unique && !f.unique && !old.primaryKey)
      ops.push({ kind: 'DropConstraint', ...base, table, name: `${table.name}_${old.column}_key`, ifExists: false });
    if (old.dbIndex && !f.dbIndex && !old.unique)
      ops.push({
        kind: 'DropIndex',
        ...base,
        index: { name: djangoIndexName(table.name, [old.column], '') },
        concurrently: false,
        ifExists: false,
      });
    if (old.column !== f.column) {
      ops.push({ kind: 'RenameColumn', ...base, table, column: old.column, newName: f.column });
      column = f.column;
    }
    const oldType = this.columnDef(old, state).type;
    const newType = this.columnDef(f, state).type;
    if (oldType.text !== newType.text)
      // Django casts the column itself (ALTER COLUMN ... TYPE ... USING "col"::type): a conversion, not new values.
      ops.push({ kind: 'AlterColumnType', ...base, table, column, type: newType, using: `"${column}"::${newType.text}`, usingExact: true });
    if (old.null && !f.null) {
      // Django's four-way default alteration: fill the NULLs with the default, then forbid them.
      const def = f.dbDefault ?? f.default;
      if (def) {
        ops.push({ kind: 'SetDefault', ...base, table, column, default: def });
        ops.push({ kind: 'DataChange', ...base, action: 'update', table, hasWhere: true, columns: [column] });
      }
      ops.push({ kind: 'SetNotNull', ...base, table, column });
      if (def && !f.dbDefault) ops.push({ kind: 'SetDefault', ...base, table, column, default: null });
    } else if (!old.null && f.null) {
      ops.push({ kind: 'DropNotNull', ...base, table, column });
    }
    if ((old.dbDefault?.text ?? null) !== (f.dbDefault?.text ?? null))
      ops.push({ kind: 'SetDefault', ...base, table, column, default: f.dbDefault });
    if (!old.unique && f.unique && !f.primaryKey)
      ops.push({
        kind: 'AddConstraint',
        ...base,
        table,
        constraint: constraintDef('unique', [column], { name: djangoIndexName(table.name, [column], '_uniq') }),
      });
    if (!old.dbIndex && f.dbIndex && !f.unique) ops.push(indexOp(base, table, djangoIndexName(table.name, [column], ''), [column]));
    if (newTarget && (!oldTarget || newTarget.table.name !== oldTarget.table.name))
      ops.push({
        kind: 'AddConstraint',
        ...base,
        table,
        constraint: constraintDef('foreign-key', [column], { name: fkName(f, newTarget), references: newTarget }),
      });
    return ops;
  }

  private indexOp(
    base: { span: Span; text: string },
    state: ProjectState,
    model: string,
    index: DjangoIndex,
  ): Extract<Operation, { kind: 'AddIndex' }> {
    const m = this.model(state, model);
    const columns = [...index.fields.map((f) => this.column(m, f)), ...index.expressions];
    return { ...indexOp(base, this.tableOf(state, model), index.name, columns), unique: index.unique, where: index.condition };
  }

  private constraintOp(base: { span: Span; text: string }, state: ProjectState, model: string, c: DjangoConstraint): Operation {
    const m = this.model(state, model);
    const columns = c.fields.map((f) => this.column(m, f));
    if (c.type === 'unique' && c.condition)
      return this.indexOp(base, state, model, { name: c.name, fields: c.fields, expressions: [], condition: c.condition, unique: true });
    return {
      kind: 'AddConstraint',
      ...base,
      table: this.tableOf(state, model),
      constraint: constraintDef(c.type, columns, { name: c.name, expression: c.type === 'check' ? c.condition : null }),
    };
  }
}

function dropTable(base: { span: Span; text: string }, table: QName): Operation {
  return { kind: 'DropTable', ...base, table, ifExists: false, cascade: true };
}

function indexOp(base: { span: Span; text: string }, table: QName, name: string, columns: string[]) {
  return {
    kind: 'AddIndex' as const,
    ...base,
    table,
    name,
    columns,
    unique: false,
    concurrently: false,
    ifNotExists: false,
    method: 'btree',
    where: null as string | null,
  };
}
