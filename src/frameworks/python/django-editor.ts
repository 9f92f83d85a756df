// Django's schema editor, replayed on paper: Django operations + the project state → IR for the up and the derived down.
// It follows django/db/backends/base/schema.py (and postgresql/schema.py) operation by operation: what each statement
// is, in which order, and the names Django gives what it creates.
import { type ColumnDef, type ConstraintDef, constraintDef, type Dialect, type Operation, type QName, type Span } from '../../ir.js';
import type { AdapterNote, Directive, ReadError, SourceText } from '../../migration.js';
import { type SyntaxNode, spanOf } from './ast.js';
import { type DjangoField, djangoIndexName, maxNameLength, truncateName } from './django-fields.js';
import type { DjangoConstraint, DjangoIndex, DjangoOp, ModelOptions, SqlArgument } from './django-operations.js';
import { embeddedSqlOf } from './embedded-sql.js';

/** Names of what Django made for one field, as it made them (a later drop finds them by these names). */
interface FieldNames {
  unique?: string;
  check?: string;
  /** The db_index index, its _like twin (PostgreSQL), the foreign key. */
  index?: string;
  like?: string;
  fk?: string;
}

export interface ModelState {
  app: string;
  name: string;
  table: string;
  fields: DjangoField[];
  options: ModelOptions;
  /** Replaced through a swappable setting (auth.User when AUTH_USER_MODEL names another model): Django skips its operations. */
  swapped: boolean;
  /** By field name. */
  names: Map<string, FieldNames>;
  /** unique_together / index_together constraint and index names, by the fields' names (joined with ','). */
  togetherNames: Map<string, string>;
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
        names: new Map([...m.names].map(([f, n]) => [f, { ...n }])),
        togetherNames: new Map(m.togetherNames),
        options: {
          ...m.options,
          indexes: [...m.options.indexes],
          constraints: [...m.options.constraints],
          uniqueTogether: [...m.options.uniqueTogether],
          indexTogether: [...m.options.indexTogether],
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

/** What the migration is read against: the app, the database, and the project's AUTH_USER_MODEL (`app.model`). */
export interface EditorContext {
  app: string;
  dialect: Dialect;
  authUserModel: string;
}

type Cannot = { cannot: string; node: SyntaxNode };
type Base = { span: Span; text: string };

/** Translates one migration's operations, advancing `state` past it. */
export function translateMigration(ops: DjangoOp[], ctx: EditorContext, state: ProjectState, source: SourceText): Translation {
  const out: Translation = { up: [], down: [], notes: [], errors: [], directives: [] };
  const editor = new Editor(ctx, source, out);
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
  private readonly app: string;
  private readonly dialect: Dialect;
  private readonly maxName: number;
  constructor(
    private readonly ctx: EditorContext,
    private readonly source: SourceText,
    private readonly out: Translation,
    /** The state a SeparateDatabaseAndState's inverse database operations start from (Django's database_backwards). */
    private readonly databaseStates = new WeakMap<DjangoOp, ProjectState>(),
  ) {
    this.app = ctx.app;
    this.dialect = ctx.dialect;
    this.maxName = maxNameLength(ctx.dialect);
  }

  private base(node: SyntaxNode): Base {
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

  private indexName(table: string, columns: string[], suffix: string): string {
    return djangoIndexName(table, columns, suffix, this.maxName);
  }

  /** Django's allow_migrate_model: proxy, swapped and unmanaged models have no table of their own. */
  private skipsDatabase(m: ModelState | undefined): boolean {
    return Boolean(m && (!m.options.managed || m.options.proxy || m.swapped));
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
        const m = this.model(state, op.model);
        if (this.skipsDatabase(m)) return [{ node, type: 'StateOnly' }];
        const old = m?.fields.find((f) => f.name === name);
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
        return [{ node, type: 'AddConstraint', model: op.model, constraint, notValid: false }];
      }
      case 'ValidateConstraint':
        // Django's ValidateConstraint.database_backwards does nothing: a valid constraint stays valid.
        return [{ node, type: 'StateOnly' }];
      case 'RenameIndex':
        // A rename of an unnamed index (old_fields) is a no-op backwards, as Django has it.
        return op.from
          ? [{ node, type: 'RenameIndex', model: op.model, from: op.to, fields: [], to: op.from }]
          : [{ node, type: 'StateOnly' }];
      case 'AlterUniqueTogether':
        return [{ node, type: 'AlterUniqueTogether', model: op.model, sets: this.model(state, op.model)?.options.uniqueTogether ?? [] }];
      case 'AlterIndexTogether':
        return [{ node, type: 'AlterIndexTogether', model: op.model, sets: this.model(state, op.model)?.options.indexTogether ?? [] }];
      case 'AlterOrderWithRespectTo':
        return [
          { node, type: 'AlterOrderWithRespectTo', model: op.model, to: this.model(state, op.model)?.options.orderWithRespectTo ?? null },
        ];
      case 'CreateExtension':
        return [{ ...op, drop: !op.drop }];
      case 'RunSQL':
        if (!op.reverse) return { cannot: 'RunSQL without reverse_sql', node };
        return [{ node, type: 'RunSQL', sql: op.reverse, reverse: null }];
      case 'RunPython':
        if (op.reverse === 'none') return { cannot: 'RunPython without reverse_code', node };
        return [{ node, type: 'RunPython', code: op.reverse, reverse: 'none' }];
      case 'SeparateDatabaseAndState': {
        const database = this.inverseAll(op.database, cloneState(state));
        const stateOps = this.inverseAll(op.state, cloneState(state));
        if ('cannot' in database) return database;
        if ('cannot' in stateOps) return stateOps;
        const inverse: DjangoOp = { node, type: 'SeparateDatabaseAndState', database: database.ops, state: stateOps.ops };
        this.databaseStates.set(inverse, database.after);
        return [inverse];
      }
      case 'StateOnly':
        return [op];
      case 'Unknown':
        return unknown(op.why);
    }
  }

  /** The inverses of a list of operations, and the state after them all (where the inverses start). */
  private inverseAll(ops: DjangoOp[], scratch: ProjectState): { ops: DjangoOp[]; after: ProjectState } | Cannot {
    const out: DjangoOp[] = [];
    const silent = new Editor(this.ctx, this.source, { up: [], down: [], notes: [], errors: [], directives: [] }, this.databaseStates);
    for (const op of ops) {
      const inverse = silent.inverse(op, scratch);
      if ('cannot' in inverse) return inverse;
      out.unshift(...inverse);
      silent.apply(op, scratch, 'up');
    }
    return { ops: out, after: scratch };
  }

  /** The IR of one operation; advances `state`. */
  apply(op: DjangoOp, state: ProjectState, direction: 'up' | 'down'): Operation[] {
    const base = this.base(op.node);
    switch (op.type) {
      case 'CreateModel': {
        const key = this.key(op.model);
        const table = op.options.dbTable ?? key.replace('.', '_');
        const swapped = op.options.swappable === 'AUTH_USER_MODEL' && key !== this.ctx.authUserModel;
        const model: ModelState = {
          app: key.split('.')[0] ?? this.app,
          name: op.model,
          table,
          fields: [...op.fields],
          options: op.options,
          swapped,
          names: new Map(),
          togetherNames: new Map(),
        };
        state.set(key, model);
        if (this.skipsDatabase(model)) return [];
        return this.createTable(base, model, state);
      }
      case 'DeleteModel': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        state.delete(this.key(op.model));
        if (this.skipsDatabase(m)) return [];
        const through = (m?.fields ?? [])
          .filter((f) => f.manyToMany && !f.through)
          .map((f): Operation => dropTable(base, { name: this.joinTable(table.name, f) }));
        return [...through, dropTable(base, table)];
      }
      case 'AddField': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        m?.fields.push(op.field);
        if (this.skipsDatabase(m) || op.field.noColumn || (op.field.manyToMany && op.field.through)) return [];
        if (op.field.manyToMany) return this.throughTable(base, table.name, this.key(op.model), op.field, state);
        if (!op.field.known) return [this.unknownField(base, op.model, op.field)];
        return this.addField(base, m ?? placeholderModel(table.name), op.field, state);
      }
      case 'RemoveField': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        const field = m?.fields.find((f) => f.name === op.name);
        if (m) m.fields = m.fields.filter((f) => f.name !== op.name);
        m?.names.delete(op.name);
        if (this.skipsDatabase(m) || field?.noColumn || (field?.manyToMany && field.through)) return [];
        if (field?.manyToMany) return [dropTable(base, { name: this.joinTable(table.name, field) })];
        if (field && !field.known) return [this.unknownField(base, op.model, field)];
        return [{ kind: 'DropColumn', ...base, table, column: field?.column ?? op.name, ifExists: false, cascade: true }];
      }
      case 'AlterField': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        const old = m?.fields.find((f) => f.name === op.field.name);
        if (m) m.fields = m.fields.map((f) => (f.name === op.field.name ? op.field : f));
        if (this.skipsDatabase(m)) return [];
        if (!old)
          return [
            {
              kind: 'Raw',
              ...base,
              statement: 'AlterField',
              notAnalyzed: `the field ${op.model}.${op.field.name} is not in the migration history: its change is unknown`,
            },
          ];
        return this.alterField(base, table, m as ModelState, old, op.field, state);
      }
      case 'RenameField':
        return this.renameField(base, state, op.model, op.from, op.to);
      case 'RenameModel':
        return this.renameModel(base, state, op.from, op.to);
      case 'AlterModelTable': {
        const m = this.model(state, op.model);
        const oldTable = this.tableOf(state, op.model).name;
        const newTable = op.table ?? this.key(op.model).replace('.', '_');
        if (m) m.table = newTable;
        if (newTable === oldTable || this.skipsDatabase(m)) return [];
        // Django renames the auto-created join tables named after the model's table with it.
        const joins = (m?.fields ?? [])
          .filter((f) => f.manyToMany && !f.through && !f.joinTable)
          .map(
            (f): Operation => ({
              kind: 'RenameTable',
              ...base,
              table: { name: this.joinTable(oldTable, f) },
              newName: this.joinTable(newTable, f),
            }),
          );
        return [{ kind: 'RenameTable', ...base, table: { name: oldTable }, newName: newTable }, ...joins];
      }
      case 'AddIndex': {
        const m = this.model(state, op.model);
        m?.options.indexes.push(op.index);
        if (this.skipsDatabase(m)) return [];
        return [{ ...this.indexOp(base, state, op.model, op.index), concurrently: op.concurrently }];
      }
      case 'RemoveIndex': {
        const m = this.model(state, op.model);
        if (m) m.options.indexes = m.options.indexes.filter((i) => i.name !== op.name);
        if (this.skipsDatabase(m)) return [];
        return [{ kind: 'DropIndex', ...base, index: { name: op.name }, concurrently: op.concurrently, ifExists: false }];
      }
      case 'RenameIndex': {
        const m = this.model(state, op.model);
        const from =
          op.from ??
          this.indexName(
            this.tableOf(state, op.model).name,
            op.fields.map((f) => this.column(m, f)),
            '_idx',
          );
        if (m) {
          m.options.indexes = m.options.indexes.map((i) => (i.name === op.from ? { ...i, name: op.to } : i));
          if (!op.from) {
            m.options.indexTogether = m.options.indexTogether.filter((s) => s.join() !== op.fields.join());
            m.options.indexes.push({ name: op.to, fields: op.fields, expressions: [], condition: null, unique: false });
          }
        }
        if (this.skipsDatabase(m)) return [];
        return [{ kind: 'RenameIndex', ...base, index: { name: from }, newName: op.to }];
      }
      case 'AddConstraint': {
        const m = this.model(state, op.model);
        m?.options.constraints.push(op.constraint);
        if (this.skipsDatabase(m)) return [];
        const ir = this.constraintOp(base, state, op.model, op.constraint);
        return [ir.kind === 'AddConstraint' && op.notValid ? { ...ir, constraint: { ...ir.constraint, notValid: true } } : ir];
      }
      case 'RemoveConstraint': {
        const m = this.model(state, op.model);
        const old = m?.options.constraints.find((c) => c.name === op.name);
        if (m) m.options.constraints = m.options.constraints.filter((c) => c.name !== op.name);
        if (this.skipsDatabase(m)) return [];
        // A unique constraint with a condition is a partial unique index in PostgreSQL.
        if (old?.type === 'unique' && old.condition)
          return [{ kind: 'DropIndex', ...base, index: { name: op.name }, concurrently: false, ifExists: false }];
        return [{ kind: 'DropConstraint', ...base, table: this.tableOf(state, op.model), name: op.name, ifExists: false }];
      }
      case 'ValidateConstraint':
        if (this.skipsDatabase(this.model(state, op.model))) return [];
        return [{ kind: 'ValidateConstraint', ...base, table: this.tableOf(state, op.model), name: op.name }];
      case 'AlterUniqueTogether':
      case 'AlterIndexTogether': {
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        const unique = op.type === 'AlterUniqueTogether';
        const old = (unique ? m?.options.uniqueTogether : m?.options.indexTogether) ?? [];
        if (m) {
          if (unique) m.options.uniqueTogether = op.sets;
          else m.options.indexTogether = op.sets;
        }
        if (this.skipsDatabase(m)) return [];
        const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
        const columns = (set: string[]) => set.map((f) => this.column(m, f));
        const removed = old.filter((o) => !op.sets.some((s) => same(s, o)));
        const added = op.sets.filter((s) => !old.some((o) => same(s, o)));
        // Django finds the old constraint by its columns: it keeps the name it was made with (before any renames).
        const tracked = (s: string[]) => m?.togetherNames.get(togetherKey(unique, s));
        const name = (s: string[]) => tracked(s) ?? this.indexName(table.name, columns(s), unique ? '_uniq' : '_idx');
        const removedNames = removed.map(name);
        for (const s of removed) m?.togetherNames.delete(togetherKey(unique, s));
        for (const s of added)
          m?.togetherNames.set(togetherKey(unique, s), this.indexName(table.name, columns(s), unique ? '_uniq' : '_idx'));
        return [
          ...removedNames.map(
            (n): Operation =>
              unique
                ? { kind: 'DropConstraint', ...base, table, name: n, ifExists: false }
                : { kind: 'DropIndex', ...base, index: { name: n }, concurrently: false, ifExists: false },
          ),
          ...added.map(
            (s): Operation =>
              unique
                ? { kind: 'AddConstraint', ...base, table, constraint: constraintDef('unique', columns(s), { name: name(s) }) }
                : indexOp(base, table, name(s), columns(s)),
          ),
        ];
      }
      case 'AlterOrderWithRespectTo': {
        // Django keeps the order in an `_order` integer column: added (default 0) when set, dropped when unset.
        const m = this.model(state, op.model);
        const table = this.tableOf(state, op.model);
        const before = m?.options.orderWithRespectTo ?? null;
        if (m) m.options = { ...m.options, orderWithRespectTo: op.to };
        if (this.skipsDatabase(m) || Boolean(before) === Boolean(op.to)) return [];
        if (!op.to) return [{ kind: 'DropColumn', ...base, table, column: '_order', ifExists: false, cascade: true }];
        return [
          { kind: 'AddColumn', ...base, table, column: { ...orderColumn(), default: { text: '0', volatile: false } }, ifNotExists: false },
          { kind: 'SetDefault', ...base, table, column: '_order', default: null },
        ];
      }
      case 'CreateExtension': {
        // django.contrib.postgres: CREATE EXTENSION IF NOT EXISTS, DROP EXTENSION IF EXISTS back; nothing on other databases.
        if (this.dialect !== 'postgresql') return [];
        const text = op.drop ? `DROP EXTENSION IF EXISTS "${op.name}"` : `CREATE EXTENSION IF NOT EXISTS "${op.name}"`;
        return [
          {
            kind: 'Raw',
            span: base.span,
            text,
            statement: op.drop ? 'DropStmt' : 'CreateExtensionStmt',
            notAnalyzed: null,
            object: { type: 'extension', name: op.name, action: op.drop ? 'drop' : 'create' },
          },
        ];
      }
      case 'RunSQL':
        return this.runSql(op.node, op.sql);
      case 'RunPython': {
        if (op.code === 'noop' || op.code === 'none') return [{ kind: 'Raw', ...base, statement: 'RunPython.noop', notAnalyzed: null }];
        this.out.notes.push({
          rule: 'not-analyzed',
          message: `not analyzed: RunPython(${op.code.text}) runs application code twoway never executes`,
          fix: 'Review the function by hand; for schema changes use the migration operations, for SQL use RunSQL so twoway can check it.',
          span: base.span,
          direction,
        });
        // Kept as an operation so the migration has an up/down at this place (ignore comments, rehearsal).
        return [{ kind: 'Raw', ...base, statement: 'RunPython', notAnalyzed: null }];
      }
      case 'SeparateDatabaseAndState': {
        // The database operations run against the state they would have made (Django's database_forwards/backwards);
        // only the state operations change the project state.
        const scratch = cloneState(this.databaseStates.get(op) ?? state);
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

  private unknownField(base: Base, model: string, f: DjangoField): Operation {
    return {
      kind: 'Raw',
      ...base,
      statement: 'django-field',
      notAnalyzed: `${model}.${f.name} is ${f.unknownWhy ?? 'a field twoway cannot read'}: whether it makes a column, and of which type, is unknown`,
    };
  }

  private runSql(node: SyntaxNode, sql: SqlArgument): Operation[] {
    if (sql.type === 'noop') return [{ kind: 'Raw', ...this.base(node), statement: 'RunSQL.noop', notAnalyzed: null }];
    if (sql.type === 'unreadable')
      return [{ kind: 'Raw', ...this.base(node), statement: 'RunSQL', notAnalyzed: 'SQL built at run time (not a string literal)' }];
    return sql.strings.flatMap((s) => {
      const parsed = embeddedSqlOf(s, this.source, this.dialect);
      this.out.errors.push(...parsed.errors);
      this.out.directives.push(...parsed.directives);
      return parsed.ops;
    });
  }

  private column(m: ModelState | undefined, field: string): string {
    const name = field.replace(/^-/, '');
    return m?.fields.find((f) => f.name === name)?.column ?? name;
  }

  /** The column type of a field; a relation's is the target's primary key type (identity dropped). */
  private columnType(f: DjangoField, state: ProjectState): DjangoField['type'] {
    if (!f.relation) return f.type;
    const target = state.get(f.relation.to);
    const pk = target?.fields.find((t) => (f.relation?.column === 'id' ? t.primaryKey : t.column === f.relation?.column));
    return pk ? (relatedType(pk) ?? f.type) : f.type;
  }

  private columnDef(f: DjangoField, state: ProjectState): ColumnDef {
    return {
      name: f.column,
      type: this.columnType(f, state),
      nullable: f.null,
      default: f.dbDefault,
      primaryKey: f.primaryKey,
      unique: f.unique && !f.primaryKey,
      generated: f.generated,
      identity: f.identity,
      references: null,
    };
  }

  private target(f: DjangoField, state: ProjectState): { table: QName; columns: string[] } | null {
    if (!f.relation?.constraint) return null;
    const target = state.get(f.relation.to);
    const pk = target?.fields.find((t) => t.primaryKey)?.column ?? 'id';
    const column =
      f.relation.column === 'id' ? pk : (target?.fields.find((t) => t.name === f.relation?.column)?.column ?? f.relation.column);
    return { table: { name: target?.table ?? f.relation.to.replace('.', '_') }, columns: [column] };
  }

  private fkName(table: QName, column: string, target: { table: QName; columns: string[] }): string {
    return this.indexName(table.name, [column], `_fk_${target.table.name}_${target.columns[0]}`);
  }

  /** PostgreSQL's second index on an indexed varchar/text column (varchar_pattern_ops / text_pattern_ops), for LIKE. */
  private hasLikeIndex(f: DjangoField, state: ProjectState): boolean {
    const type = this.columnType(f, state);
    return this.dialect === 'postgresql' && (f.dbIndex || f.unique) && ['varchar', 'text'].includes(type.name) && type.arrayDims === 0;
  }

  /** Foreign key (DEFERRABLE INITIALLY DEFERRED in PostgreSQL), its index, and the _like index of indexed text columns. */
  private fieldExtras(
    base: Base,
    m: ModelState,
    f: DjangoField,
    state: ProjectState,
    inCreate: boolean,
  ): { constraints: ConstraintDef[]; after: Operation[] } {
    const table = { name: m.table };
    const constraints: ConstraintDef[] = [];
    const after: Operation[] = [];
    const names = m.names.get(f.name) ?? {};
    const target = this.target(f, state);
    if (target) {
      names.fk = this.fkName(table, f.column, target);
      const fk = constraintDef('foreign-key', [f.column], { name: names.fk, references: target });
      if (inCreate) constraints.push(fk);
      else after.push({ kind: 'AddConstraint', ...base, table, constraint: fk });
    }
    if (f.unique && !f.primaryKey) names.unique = `${m.table}_${f.column}_key`;
    if (f.positive) {
      // A CHECK written in the column definition: PostgreSQL names it <table>_<column>_check.
      names.check = `${m.table}_${f.column}_check`;
      constraints.push(constraintDef('check', [f.column], { name: names.check, expression: `"${f.column}" >= 0` }));
    }
    if (f.dbIndex && !f.unique) {
      names.index = this.indexName(m.table, [f.column], '');
      after.push(indexOp(base, table, names.index, [f.column]));
    }
    if (this.hasLikeIndex(f, state)) {
      names.like = this.indexName(m.table, [f.column], '_like');
      after.push(indexOp(base, table, names.like, [f.column]));
    }
    m.names.set(f.name, names);
    return { constraints, after };
  }

  private createTable(base: Base, m: ModelState, state: ProjectState): Operation[] {
    const table = { name: m.table };
    const columns: ColumnDef[] = [];
    const constraints: ConstraintDef[] = [];
    const after: Operation[] = [];
    for (const f of m.fields) {
      if (f.noColumn || (f.manyToMany && f.through)) continue;
      if (f.manyToMany) {
        after.push(...this.throughTable(base, m.table, `${m.app}.${m.name}`, f, state));
        continue;
      }
      columns.push(this.columnDef(f, state));
      if (f.primaryKey) constraints.push(constraintDef('primary-key', [f.column], { name: `${m.table}_pkey` }));
      if (f.unique && !f.primaryKey) constraints.push(constraintDef('unique', [f.column], { name: `${m.table}_${f.column}_key` }));
      const extras = this.fieldExtras(base, m, f, state, true);
      constraints.push(...extras.constraints);
      after.push(...extras.after);
    }
    if (m.options.orderWithRespectTo) columns.push(orderColumn());
    for (const set of m.options.uniqueTogether) {
      const cols = set.map((f) => this.column(m, f));
      const name = this.indexName(m.table, cols, '_uniq');
      m.togetherNames.set(togetherKey(true, set), name);
      constraints.push(constraintDef('unique', cols, { name }));
    }
    for (const set of m.options.indexTogether) {
      const cols = set.map((f) => this.column(m, f));
      const name = this.indexName(m.table, cols, '_idx');
      m.togetherNames.set(togetherKey(false, set), name);
      after.push(indexOp(base, table, name, cols));
    }
    for (const index of m.options.indexes) after.push(this.indexOp(base, state, `${m.app}.${m.name}`, index));
    for (const c of m.options.constraints) after.push(this.constraintOp(base, state, `${m.app}.${m.name}`, c));
    return [{ kind: 'CreateTable', ...base, table, columns, constraints, ifNotExists: false, derived: false }, ...after];
  }

  /** An auto-created join table's name: db_table, or `<table>_<field>` cut to the database's length like Django's truncate_name. */
  private joinTable(fromTable: string, f: DjangoField): string {
    return f.joinTable ?? truncateName(`${fromTable}_${f.name}`, this.maxName);
  }

  /** The join columns of an auto-created through table: `<from>_id`, `<to>_id` (`from_`/`to_` when a model points to itself). */
  private joinColumns(fromKey: string, toKey: string): [string, string] {
    const from = fromKey.split('.')[1] ?? 'from';
    const to = toKey.split('.')[1] ?? 'to';
    return from === to && fromKey === toKey ? [`from_${from}_id`, `to_${to}_id`] : [`${from}_id`, `${to}_id`];
  }

  /** A ManyToManyField's join table: id, <from>_id, <to>_id (typed like the primary keys they reference), unique together. */
  private throughTable(base: Base, fromTable: string, fromKey: string, f: DjangoField, state: ProjectState): Operation[] {
    const name = this.joinTable(fromTable, f);
    const toKey = f.relation?.to ?? '?.?';
    const [fromCol, toCol] = this.joinColumns(fromKey, toKey);
    const pkOf = (key: string) => {
      const pk = state.get(key)?.fields.find((x) => x.primaryKey);
      return { column: pk?.column ?? 'id', type: (pk && relatedType(pk)) ?? INT8 };
    };
    const fromPk = pkOf(fromKey);
    const toPk = pkOf(toKey);
    const col = (n: string, type: DjangoField['type'], pk = false): ColumnDef => ({
      name: n,
      type,
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
        columns: [col('id', INT8, true), col(fromCol, fromPk.type), col(toCol, toPk.type)],
        constraints: [
          constraintDef('primary-key', ['id'], { name: `${name}_pkey` }),
          constraintDef('foreign-key', [fromCol], {
            name: this.indexName(name, [fromCol], `_fk_${fromTable}_${fromPk.column}`),
            references: { table: { name: fromTable }, columns: [fromPk.column] },
          }),
          constraintDef('foreign-key', [toCol], {
            name: this.indexName(name, [toCol], `_fk_${toTable}_${toPk.column}`),
            references: { table: { name: toTable }, columns: [toPk.column] },
          }),
          constraintDef('unique', [fromCol, toCol], { name: this.indexName(name, [fromCol, toCol], '_uniq') }),
        ],
        ifNotExists: false,
        derived: false,
      },
      indexOp(base, { name }, this.indexName(name, [fromCol], ''), [fromCol]),
      indexOp(base, { name }, this.indexName(name, [toCol], ''), [toCol]),
    ];
  }

  /**
   * AddField: a default Django applies in Python is written as the column's DEFAULT for the rows that exist,
   * then dropped in the same migration (Django's add_field); db_default stays.
   */
  private addField(base: Base, m: ModelState, f: DjangoField, state: ProjectState): Operation[] {
    const table = { name: m.table };
    const def = f.dbDefault ?? f.default;
    const column = { ...this.columnDef(f, state), default: def };
    const ops: Operation[] = [{ kind: 'AddColumn', ...base, table, column, ifNotExists: false }];
    if (f.default && !f.dbDefault) ops.push({ kind: 'SetDefault', ...base, table, column: f.column, default: null });
    const extras = this.fieldExtras(base, m, f, state, false);
    for (const c of extras.constraints) ops.push({ kind: 'AddConstraint', ...base, table, constraint: c });
    ops.push(...extras.after);
    return ops;
  }

  /** Django's _alter_field, step by step (base/schema.py, with postgresql/schema.py's _like indexes). */
  private alterField(base: Base, table: QName, m: ModelState, old: DjangoField, f: DjangoField, state: ProjectState): Operation[] {
    if (old.noColumn && f.noColumn) return [];
    if (old.manyToMany || f.manyToMany || old.noColumn || f.noColumn) {
      const same =
        old.manyToMany === f.manyToMany && old.through === f.through && old.joinTable === f.joinTable && old.noColumn === f.noColumn;
      return same
        ? []
        : [
            {
              kind: 'Raw',
              ...base,
              statement: 'AlterField',
              notAnalyzed: `${f.name} changes its join table or between a relation and a column: Django renames it or refuses the change`,
            },
          ];
    }
    // Django's _field_should_be_altered: nothing happens unless the column or an argument that reaches the database changes.
    const defaultOf = (x: DjangoField) => x.default?.text ?? null;
    if (old.column === f.column && old.signature === f.signature && defaultOf(old) === defaultOf(f)) return [];
    const oldType = this.columnType(old, state);
    const newType = this.columnType(f, state);
    const bothKnown = old.known && f.known;
    if (!bothKnown && old.typeSignature !== f.typeSignature)
      return [
        {
          kind: 'Raw',
          ...base,
          statement: 'AlterField',
          notAnalyzed: `${m.name}.${f.name} changes to or from ${(!f.known ? f.unknownWhy : old.unknownWhy) ?? 'a field twoway cannot read'}: its column type is unknown`,
        },
      ];
    const typeChanged = bothKnown && oldType.text !== newType.text;
    const names = m.names.get(old.name) ?? {};
    const ops: Operation[] = [];
    const oldTarget = this.target(old, state);
    const newTarget = this.target(f, state);
    // 1. Foreign keys are dropped before any change and made again after it.
    if (oldTarget) {
      ops.push({ kind: 'DropConstraint', ...base, table, name: names.fk ?? this.fkName(table, old.column, oldTarget), ifExists: false });
      names.fk = undefined;
    }
    const becamePk = !old.primaryKey && f.primaryKey;
    // 2. The unique constraint, when the field stops being unique (or becomes the primary key).
    if (old.unique && !old.primaryKey && (!f.unique || becamePk)) {
      ops.push({ kind: 'DropConstraint', ...base, table, name: names.unique ?? `${table.name}_${old.column}_key`, ifExists: false });
      names.unique = undefined;
    }
    // 2b. Becoming the primary key: _alter_field drops the table's primary key, found by introspection (none is
    //     no error: a RunSQL may have dropped it already), and makes this column's (_create_primary_key_sql, "_pk").
    if (becamePk) ops.push({ kind: 'DropConstraint', ...base, table, name: `${table.name}_pkey`, ifExists: true });
    // 3. The db_index index (and the _like index with it) when db_index goes or a unique constraint replaces it.
    const likeBefore = this.hasLikeIndex(old, state);
    let likeGone = false;
    const likeName = () => names.like ?? this.indexName(table.name, [old.column], '_like');
    if (old.dbIndex && !old.unique && (!f.dbIndex || f.unique)) {
      ops.push(dropIndex(base, names.index ?? this.indexName(table.name, [old.column], '')));
      names.index = undefined;
      if (likeBefore) {
        ops.push(dropIndex(base, likeName()));
        likeGone = true;
      }
    }
    // 4. The check constraint of a Positive*Field.
    if (old.positive && !f.positive && names.check) {
      ops.push({ kind: 'DropConstraint', ...base, table, name: names.check, ifExists: false });
      names.check = undefined;
    }
    // 5. The column's name.
    let column = old.column;
    if (old.column !== f.column) {
      ops.push({ kind: 'RenameColumn', ...base, table, column: old.column, newName: f.column });
      column = f.column;
    }
    // 6. The type: PostgreSQL first drops the _like index of a column that stops being varchar/text.
    if (typeChanged) {
      if (likeBefore && !likeGone && !['varchar', 'text'].includes(newType.name)) {
        ops.push(dropIndex(base, likeName()));
        likeGone = true;
      }
      // Django casts the column itself (ALTER COLUMN ... TYPE ... USING "col"::type): a conversion, not new values.
      ops.push({ kind: 'AlterColumnType', ...base, table, column, type: newType, using: `"${column}"::${newType.text}`, usingExact: true });
    }
    // 7. NULL → NOT NULL: with a default, Django's four-way default alteration (set the default when it changes,
    //    fill the NULLs, forbid them, drop the default again).
    if (old.null && !f.null) {
      const needsDefault = !f.dbDefault && f.default !== null && defaultOf(old) !== defaultOf(f);
      if (needsDefault) ops.push({ kind: 'SetDefault', ...base, table, column, default: f.default });
      if (f.hasDefault || f.dbDefault)
        ops.push({ kind: 'DataChange', ...base, action: 'update', table, hasWhere: true, columns: [column] });
      ops.push({ kind: 'SetNotNull', ...base, table, column });
      if (needsDefault) ops.push({ kind: 'SetDefault', ...base, table, column, default: null });
    } else if (!old.null && f.null) {
      ops.push({ kind: 'DropNotNull', ...base, table, column });
    }
    // 8. db_default (Django 5).
    if ((old.dbDefault?.text ?? null) !== (f.dbDefault?.text ?? null))
      ops.push({ kind: 'SetDefault', ...base, table, column, default: f.dbDefault });
    if (becamePk)
      ops.push({
        kind: 'AddConstraint',
        ...base,
        table,
        constraint: constraintDef('primary-key', [column], { name: this.indexName(table.name, [column], '_pk') }),
      });
    // 9. A new unique constraint.
    if ((!old.unique || becamePk) && f.unique && !f.primaryKey) {
      names.unique = this.indexName(table.name, [column], '_uniq');
      ops.push({ kind: 'AddConstraint', ...base, table, constraint: constraintDef('unique', [column], { name: names.unique }) });
    }
    // 10. A new db_index index.
    if ((!old.dbIndex || old.unique) && f.dbIndex && !f.unique) {
      names.index = this.indexName(table.name, [column], '');
      ops.push(indexOp(base, table, names.index, [column]));
    }
    // 11. PostgreSQL's _like index, when the column becomes indexed or unique (or its old one went with the type).
    const likeNow = this.hasLikeIndex(f, state);
    const likeAdded = (!(old.dbIndex || old.unique) && f.dbIndex) || (!old.unique && f.unique) || (likeGone && (f.dbIndex || f.unique));
    if (likeNow && likeAdded) {
      names.like = this.indexName(table.name, [column], '_like');
      ops.push(indexOp(base, table, names.like, [column]));
    } else if (likeBefore && !likeGone && old.unique && !(f.dbIndex || f.unique)) {
      ops.push(dropIndex(base, likeName()));
      names.like = undefined;
    }
    // 12. The foreign key, made again (or for the first time).
    if (newTarget) {
      names.fk = this.fkName(table, column, newTarget);
      ops.push({
        kind: 'AddConstraint',
        ...base,
        table,
        constraint: constraintDef('foreign-key', [column], { name: names.fk, references: newTarget }),
      });
    }
    // 13. The check constraint of a field that became Positive*.
    if (f.positive && !old.positive) {
      names.check = this.indexName(table.name, [column], '_check');
      ops.push({
        kind: 'AddConstraint',
        ...base,
        table,
        constraint: constraintDef('check', [column], { name: names.check, expression: `"${column}" >= 0` }),
      });
    }
    m.names.set(f.name, names);
    return ops;
  }

  private renameField(base: Base, state: ProjectState, model: string, from: string, to: string): Operation[] {
    const m = this.model(state, model);
    const field = m?.fields.find((f) => f.name === from);
    if (!m || !field) return [{ kind: 'RenameColumn', ...base, table: this.tableOf(state, model), column: from, newName: to }];
    const renamed = {
      ...field,
      name: to,
      column: field.column === field.name ? to : field.column === `${from}_id` ? `${to}_id` : field.column,
    };
    m.fields = m.fields.map((f) => (f === field ? renamed : f));
    const names = m.names.get(from);
    m.names.delete(from);
    if (names) m.names.set(to, names);
    // Django's rename_field makes unique_together and index_together refer to the new name; the database keeps its names.
    for (const unique of [true, false]) {
      const sets = unique ? m.options.uniqueTogether : m.options.indexTogether;
      const renamedSets = sets.map((set) => set.map((n) => (n === from ? to : n)));
      sets.forEach((set, i) => {
        const name = m.togetherNames.get(togetherKey(unique, set));
        m.togetherNames.delete(togetherKey(unique, set));
        if (name) m.togetherNames.set(togetherKey(unique, renamedSets[i] as string[]), name);
      });
      m.options = unique ? { ...m.options, uniqueTogether: renamedSets } : { ...m.options, indexTogether: renamedSets };
    }
    if (this.skipsDatabase(m) || field.noColumn || (field.manyToMany && field.through)) return [];
    if (field.manyToMany) {
      const before = this.joinTable(m.table, field);
      const after = this.joinTable(m.table, renamed);
      return before === after ? [] : [{ kind: 'RenameTable', ...base, table: { name: before }, newName: after }];
    }
    if (renamed.column === field.column) return [];
    return [{ kind: 'RenameColumn', ...base, table: { name: m.table }, column: field.column, newName: renamed.column }];
  }

  private renameModel(base: Base, state: ProjectState, fromName: string, toName: string): Operation[] {
    const from = this.key(fromName);
    const to = this.key(toName);
    const m = state.get(from);
    const oldTable = this.tableOf(state, fromName).name;
    const derived = !m || m.table === from.replace('.', '_');
    const newTable = derived ? to.replace('.', '_') : oldTable;
    state.delete(from);
    if (m) state.set(to, { ...m, name: toName, table: newTable });
    const ops: Operation[] = [];
    if (newTable !== oldTable && !this.skipsDatabase(m))
      ops.push({ kind: 'RenameTable', ...base, table: { name: oldTable }, newName: newTable });
    // The auto-created join tables of the model's own many-to-many fields follow its table and name.
    for (const f of m?.fields ?? []) {
      if (!f.manyToMany || f.through || f.relation?.to === from || this.skipsDatabase(m)) continue;
      const before = this.joinTable(oldTable, f);
      const after = this.joinTable(newTable, f);
      if (before !== after) ops.push({ kind: 'RenameTable', ...base, table: { name: before }, newName: after });
      const [oldCol] = this.joinColumns(from, f.relation?.to ?? '?.?');
      const [newCol] = this.joinColumns(to, f.relation?.to ?? '?.?');
      if (oldCol !== newCol) ops.push({ kind: 'RenameColumn', ...base, table: { name: after }, column: oldCol, newName: newCol });
    }
    // Fields pointing to the model follow it; the join columns of other models' many-to-many fields are renamed.
    for (const [key, model] of state) {
      model.fields = model.fields.map((f) => {
        if (f.relation?.to !== from) return f;
        if (f.manyToMany && !f.through && key !== to && !this.skipsDatabase(model)) {
          const [, oldCol] = this.joinColumns(key, from);
          const [, newCol] = this.joinColumns(key, to);
          if (oldCol !== newCol)
            ops.push({ kind: 'RenameColumn', ...base, table: { name: this.joinTable(model.table, f) }, column: oldCol, newName: newCol });
        }
        return { ...f, relation: { ...f.relation, to } };
      });
    }
    return ops;
  }

  private indexOp(base: Base, state: ProjectState, model: string, index: DjangoIndex): Extract<Operation, { kind: 'AddIndex' }> {
    const m = this.model(state, model);
    // An operator class is part of the index's definition: "name gin_trgm_ops".
    const fields = index.fields.map((f, i) => [this.column(m, f), index.opclasses?.[i]].filter(Boolean).join(' '));
    const columns = [...fields, ...index.expressions];
    return {
      ...indexOp(base, this.tableOf(state, model), index.name, columns),
      unique: index.unique,
      where: index.condition,
      method: index.method ?? 'btree',
    };
  }

  private constraintOp(base: Base, state: ProjectState, model: string, c: DjangoConstraint): Operation {
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

const INT8 = { name: 'int8', args: [], arrayDims: 0, text: 'int8' };

const togetherKey = (unique: boolean, set: string[]) => `${unique ? 'unique' : 'index'}:${set.join(',')}`;

/** The type a column referencing this primary key gets: serial types become their integer (Django's rel_db_type). */
function relatedType(pk: DjangoField): DjangoField['type'] | null {
  return pk.known ? pk.type : null;
}

function orderColumn(): ColumnDef {
  return {
    name: '_order',
    type: { name: 'int4', args: [], arrayDims: 0, text: 'int4' },
    nullable: false,
    default: null,
    primaryKey: false,
    unique: false,
    generated: false,
    identity: false,
    references: null,
  };
}

function placeholderModel(table: string): ModelState {
  return {
    app: '',
    name: table,
    table,
    fields: [],
    options: {
      dbTable: table,
      managed: true,
      proxy: false,
      indexes: [],
      constraints: [],
      uniqueTogether: [],
      indexTogether: [],
      orderWithRespectTo: null,
      swappable: null,
    },
    swapped: false,
    names: new Map(),
    togetherNames: new Map(),
  };
}

function dropTable(base: Base, table: QName): Operation {
  return { kind: 'DropTable', ...base, table, ifExists: false, cascade: true };
}

function dropIndex(base: Base, name: string): Operation {
  return { kind: 'DropIndex', ...base, index: { name }, concurrently: false, ifExists: false };
}

function indexOp(base: Base, table: QName, name: string, columns: string[]) {
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
