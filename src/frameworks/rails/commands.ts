// ActiveRecord's migration commands: what each runs, and what CommandRecorder runs to revert it in `change`.
import type { Operation } from '../../ir.js';
import { namedChildren, type SyntaxNode } from '../tree-sitter.js';
import {
  addColumns,
  blockBody,
  COLUMN_TYPES,
  checkConstraint,
  columnDef,
  createTable,
  defaultOf,
  dropColumns,
  dropIndexOp,
  dropTable,
  foreignKey,
  type Handler,
  indexOp,
  needNames,
  nested,
  oneTable,
  raw,
  reference,
  table,
  tableDefinition,
  timestamps,
  writtenFor,
} from './definitions.js';
import { gitlabHelpers } from './gitlab.js';
import { checkConstraintName, foreignKeyColumn, foreignKeyName, indexName, joinTableName } from './names.js';
import { newerCommands } from './newer.js';
import type { Args, RailsReader, Step } from './reader.js';
import { isTrue, names, type RubyValue, textOf } from './values.js';

/** strong_migrations' acknowledgment, as the reason of the findings it covers. */
const SAFETY_ASSURED = 'safety_assured (strong_migrations)';

export function execute(r: RailsReader, node: SyntaxNode, args: Args): Step[] {
  const sql = args.positional[0];
  const ops = sql ? r.sql(sql, node) : null;
  const inverse = r.irreversible(
    node,
    '`execute` in `change`: Rails cannot know how to undo raw SQL and raises ActiveRecord::IrreversibleMigration on rollback',
    'Wrap it in `reversible do |dir| dir.up { execute "…" }; dir.down { execute "…" } end`, or write `up` and `down` methods.',
  );
  if (!ops) return [{ up: r.notAnalyzed(node, 'SQL built at run time (interpolation or a variable): twoway cannot read it').up, inverse }];
  return [{ up: ops, inverse }];
}

/**
 * Calls on library objects that run migration commands: Discourse's post-deploy droppers and
 * its mini_sql `DB.exec`. Null when the call is none of them.
 */
export function libraryCall(r: RailsReader, node: SyntaxNode, receiver: SyntaxNode, method: string, a: Args): Step[] | null {
  const on = receiver.text.split('::').at(-1);
  if (on === 'DB' && (method === 'exec' || method === 'query' || method === 'query_single')) return execute(r, node, a);
  if (method !== 'execute_drop' || (on !== 'ColumnDropper' && on !== 'TableDropper')) return null;
  const t = textOf(a.positional[0]);
  const columns = names(a.positional[1]);
  if (!t || (on === 'ColumnDropper' && !columns)) return [r.notAnalyzed(node, 'what the dropper drops is computed at run time')];
  const up = on === 'ColumnDropper' ? dropColumns(r, node, t, columns ?? [], new Map()) : [dropTable(r, node, t, new Map())];
  const inverse = r.irreversible(
    node,
    `\`Migration::${on}.execute_drop\` is not a command Rails records: \`change\` cannot revert it`,
    'Write `up` and `down` methods; a down that re-adds the columns cannot bring their values back.',
  );
  return [{ up, inverse }];
}

export const COMMANDS: Record<string, Handler> = {
  execute,
  create_table: oneTable((r, node, t, a) => {
    const up = createTable(r, node, t, a);
    return [{ up, inverse: [dropTable(r, node, t, new Map())] }];
  }),
  drop_table: (r, node, a) => {
    const tables = needNames(r, node, a.positional, 'table name');
    if (!Array.isArray(tables)) return [tables];
    const up = tables.map((t) => dropTable(r, node, t, a.options));
    const inverse =
      a.block || a.options.size
        ? tables.flatMap((t) =>
            createTable(r, node, t, { ...a, options: new Map([...a.options].filter(([k]) => k !== 'force' && k !== 'if_exists')) }),
          )
        : r.irreversible(
            node,
            '`drop_table` without a block: Rails cannot recreate the table on rollback and raises ActiveRecord::IrreversibleMigration',
            'Give `drop_table` the table definition as a block (`drop_table :t do |t| t.string :name … end`) so the down can recreate it.',
          );
    return [{ up, inverse }];
  },
  create_join_table: (r, node, a) => {
    const ts = needNames(r, node, a.positional.slice(0, 2), 'table name');
    if (!Array.isArray(ts)) return [ts];
    const [x, y] = ts as [string, string];
    const name = textOf(a.options.get('table_name')) ?? joinTableName(x, y);
    const notNull = new Map<string, RubyValue>([['null', { kind: 'bool', value: false, node }]]);
    const columns = [x, y].map((t) => columnDef(r, foreignKeyColumn(t), writtenFor(r, 5.0) ? 'integer' : 'bigint', notNull));
    const def = tableDefinition(r, name, a.block, a.blockParam);
    const create: Operation = {
      kind: 'CreateTable',
      ...r.at(node),
      table: table(name),
      columns: [...columns, ...def.columns],
      constraints: def.constraints,
      ifNotExists: false,
      derived: false,
    };
    return [{ up: [create, ...def.after], inverse: [dropTable(r, node, name, new Map())] }];
  },
  drop_join_table: (r, node, a) => {
    const ts = needNames(r, node, a.positional.slice(0, 2), 'table name');
    if (!Array.isArray(ts)) return [ts];
    const name = textOf(a.options.get('table_name')) ?? joinTableName(ts[0] as string, ts[1] as string);
    const create = COMMANDS.create_join_table?.(r, node, a)[0]?.up ?? [];
    return [{ up: [dropTable(r, node, name, new Map())], inverse: create }];
  },
  rename_table: (r, node, a) => {
    const ts = needNames(r, node, a.positional.slice(0, 2), 'table name');
    if (!Array.isArray(ts)) return [ts];
    const [from, to] = ts as [string, string];
    return [
      {
        up: [{ kind: 'RenameTable', ...r.at(node), table: table(from), newName: to }],
        inverse: [{ kind: 'RenameTable', ...r.at(node), table: table(to), newName: from }],
      },
    ];
  },
  add_column: oneTable((r, node, t, a) => {
    const [name, type] = [textOf(a.positional[1]), textOf(a.positional[2])];
    if (!name || !type) return [r.notAnalyzed(node, 'a column whose name or type is computed at run time')];
    const up = addColumns(r, node, t, [columnDef(r, name, type, a.options)], a.options);
    return [{ up, inverse: dropColumns(r, node, t, [name], new Map()) }];
  }),
  remove_column: oneTable((r, node, t, a) => {
    const name = textOf(a.positional[1]);
    if (!name) return [r.notAnalyzed(node, 'a column whose name is computed at run time')];
    const type = textOf(a.positional[2]);
    const inverse = type
      ? addColumns(r, node, t, [columnDef(r, name, type, a.options)], new Map())
      : r.irreversible(
          node,
          '`remove_column` without a type: Rails cannot re-add the column on rollback and raises ActiveRecord::IrreversibleMigration',
          `Give the type and options so the down can re-add it: \`remove_column :${t}, :${name}, :<type>, <options>\` (the values are still lost).`,
        );
    return [{ up: dropColumns(r, node, t, [name], a.options), inverse }];
  }),
  remove_columns: oneTable((r, node, t, a) => {
    const cols = needNames(r, node, a.positional.slice(1), 'column name');
    if (!Array.isArray(cols)) return [cols];
    const type = textOf(a.options.get('type'));
    const inverse = type
      ? addColumns(
          r,
          node,
          t,
          cols.map((c) => columnDef(r, c, type, a.options)),
          new Map(),
        )
      : r.irreversible(
          node,
          '`remove_columns` without `type:`: Rails cannot re-add the columns on rollback and raises ActiveRecord::IrreversibleMigration',
          'Pass `type:` (and options) so the down can re-add the columns, or write `up` and `down` methods.',
        );
    return [{ up: dropColumns(r, node, t, cols, a.options), inverse }];
  }),
  rename_column: oneTable((r, node, t, a) => {
    const cols = needNames(r, node, a.positional.slice(1, 3), 'column name');
    if (!Array.isArray(cols)) return [cols];
    const [from, to] = cols as [string, string];
    return [
      {
        up: [{ kind: 'RenameColumn', ...r.at(node), table: table(t), column: from, newName: to }],
        inverse: [{ kind: 'RenameColumn', ...r.at(node), table: table(t), column: to, newName: from }],
      },
    ];
  }),
  change_column: oneTable((r, node, t, a) => {
    const [name, type] = [textOf(a.positional[1]), textOf(a.positional[2])];
    if (!name || !type) return [r.notAnalyzed(node, 'a column whose name or type is computed at run time')];
    const column = columnDef(r, name, type, a.options);
    const up: Operation[] = [
      { kind: 'AlterColumnType', ...r.at(node), table: table(t), column: name, type: column.type, using: textOf(a.options.get('using')) },
    ];
    if (a.options.has('default')) up.push({ kind: 'SetDefault', ...r.at(node), table: table(t), column: name, default: column.default });
    const nullOption = a.options.get('null');
    if (nullOption?.kind === 'bool')
      up.push({ kind: nullOption.value ? 'DropNotNull' : 'SetNotNull', ...r.at(node), table: table(t), column: name });
    const inverse = r.irreversible(
      node,
      '`change_column` in `change`: Rails does not know the previous type and raises ActiveRecord::IrreversibleMigration on rollback',
      `Write \`up\` and \`down\` methods, or use \`reversible\` with the old type in \`dir.down { change_column :${t}, :${name}, :<old type> }\`.`,
    );
    return [{ up, inverse }];
  }),
  change_column_default: oneTable((r, node, t, a) => {
    const name = textOf(a.positional[1]);
    if (!name) return [r.notAnalyzed(node, 'a column whose name is computed at run time')];
    const value = a.positional[2];
    const given = value?.kind === 'hash' ? value.entries : value === undefined ? a.options : null;
    const fromTo = given?.has('from') && given.has('to') ? given : null;
    const set = (v: RubyValue | undefined): Operation => ({
      kind: 'SetDefault',
      ...r.at(node),
      table: table(t),
      column: name,
      default: defaultOf(v),
    });
    const up = [set(fromTo ? fromTo.get('to') : value)];
    const inverse = fromTo
      ? [set(fromTo.get('from'))]
      : r.irreversible(
          node,
          '`change_column_default` without `from:`/`to:`: Rails does not know the old default and raises ActiveRecord::IrreversibleMigration on rollback',
          `Name both: \`change_column_default :${t}, :${name}, from: <old>, to: <new>\`.`,
        );
    return [{ up, inverse }];
  }),
  change_column_null: oneTable((r, node, t, a) => {
    const name = textOf(a.positional[1]);
    const allow = a.positional[2];
    if (!name || allow?.kind !== 'bool') return [r.notAnalyzed(node, 'a column or nullability computed at run time')];
    const up: Operation[] = [];
    const fill = a.positional[3];
    if (!allow.value && fill && fill.kind !== 'nil') {
      up.push({ kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: true, columns: [name] });
    }
    const flip = (nullable: boolean): Operation => ({
      kind: nullable ? 'DropNotNull' : 'SetNotNull',
      ...r.at(node),
      table: table(t),
      column: name,
    });
    up.push(flip(allow.value));
    return [{ up, inverse: [flip(!allow.value)] }];
  }),
  add_index: oneTable((r, node, t, a) => {
    const cols = names(a.positional[1]);
    if (!cols) return [r.notAnalyzed(node, 'index columns computed at run time')];
    const add = indexOp(r, node, t, cols, a.options);
    const name = (add as { name: string }).name;
    return [{ up: [add], inverse: [dropIndexOp(r, node, t, name, a.options)] }];
  }),
  remove_index: oneTable((r, node, t, a) => {
    const cols = names(a.positional[1]) ?? names(a.options.get('column'));
    const name = textOf(a.options.get('name')) ?? (cols ? indexName(t, cols, r.migrationVersion) : null);
    if (!name) return [r.notAnalyzed(node, 'an index name computed at run time')];
    const inverse = cols
      ? [indexOp(r, node, t, cols, new Map([...a.options].filter(([k]) => k !== 'if_exists')))]
      : r.irreversible(
          node,
          '`remove_index` with only a name: Rails does not know the columns and raises ActiveRecord::IrreversibleMigration on rollback',
          `Give the columns too: \`remove_index :${t}, column: [...], name: "${name}"\`.`,
        );
    return [{ up: [dropIndexOp(r, node, t, name, a.options)], inverse }];
  }),
  rename_index: oneTable((r, node, _table, a) => {
    const ns = needNames(r, node, a.positional.slice(1, 3), 'index name');
    if (!Array.isArray(ns)) return [ns];
    const [from, to] = ns as [string, string];
    const rename = (x: string, y: string): Operation => ({ kind: 'RenameIndex', ...r.at(node), index: { name: x }, newName: y });
    return [{ up: [rename(from, to)], inverse: [rename(to, from)] }];
  }),
  add_reference: oneTable((r, node, t, a) => {
    const ref = textOf(a.positional[1]);
    if (!ref) return [r.notAnalyzed(node, 'a reference whose name is computed at run time')];
    const made = reference(r, node, t, ref, a.options);
    const up = [...addColumns(r, node, t, made.columns, a.options), ...(made.index ? [made.index] : []), ...(made.fk ? [made.fk] : [])];
    const inverse = dropColumns(
      r,
      node,
      t,
      made.columns.map((c) => c.name),
      new Map(),
    );
    return [{ up, inverse }];
  }),
  remove_reference: oneTable((r, node, t, a) => {
    const ref = textOf(a.positional[1]);
    if (!ref) return [r.notAnalyzed(node, 'a reference whose name is computed at run time')];
    const made = reference(r, node, t, ref, a.options);
    const up: Operation[] = [];
    if (made.fk?.kind === 'AddConstraint') {
      up.push({ kind: 'DropConstraint', ...r.at(node), table: table(t), name: made.fk.constraint.name ?? '', ifExists: false });
    }
    up.push(
      ...dropColumns(
        r,
        node,
        t,
        made.columns.map((c) => c.name),
        a.options,
      ),
    );
    const inverse = [
      ...addColumns(r, node, t, made.columns, new Map()),
      ...(made.index ? [made.index] : []),
      ...(made.fk ? [made.fk] : []),
    ];
    return [{ up, inverse }];
  }),
  add_timestamps: oneTable((r, node, t, a) => {
    const cols = timestamps(r, a.options);
    return [{ up: addColumns(r, node, t, cols, a.options), inverse: dropColumns(r, node, t, ['created_at', 'updated_at'], new Map()) }];
  }),
  remove_timestamps: oneTable((r, node, t, a) => [
    {
      up: dropColumns(r, node, t, ['created_at', 'updated_at'], a.options),
      inverse: addColumns(r, node, t, timestamps(r, a.options), new Map()),
    },
  ]),
  add_foreign_key: oneTable((r, node, t, a) => {
    const to = textOf(a.positional[1]);
    if (!to) return [r.notAnalyzed(node, 'a target table computed at run time')];
    const add = foreignKey(r, node, t, to, a.options);
    const name = add.kind === 'AddConstraint' ? (add.constraint.name ?? '') : '';
    return [{ up: [add], inverse: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: false }] }];
  }),
  remove_foreign_key: oneTable((r, node, t, a) => {
    const to = textOf(a.positional[1]) ?? textOf(a.options.get('to_table'));
    const column = textOf(a.options.get('column')) ?? (to ? foreignKeyColumn(to) : null);
    const name = textOf(a.options.get('name')) ?? (column ? foreignKeyName(t, column) : null);
    if (!name) return [r.notAnalyzed(node, 'a foreign key named at run time')];
    const inverse = to
      ? [foreignKey(r, node, t, to, a.options)]
      : r.irreversible(
          node,
          '`remove_foreign_key` without the target table: Rails cannot re-add it on rollback and raises ActiveRecord::IrreversibleMigration',
          `Name the target table: \`remove_foreign_key :${t}, :<to_table>, column: …\`.`,
        );
    return [
      { up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: isTrue(a.options.get('if_exists')) }], inverse },
    ];
  }),
  validate_foreign_key: oneTable((r, node, t, a) => {
    const to = textOf(a.positional[1]);
    const name = textOf(a.options.get('name')) ?? (to ? foreignKeyName(t, textOf(a.options.get('column')) ?? foreignKeyColumn(to)) : null);
    if (!name) return [r.notAnalyzed(node, 'a foreign key named at run time')];
    return [{ up: [{ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name }], inverse: [] }];
  }),
  add_check_constraint: oneTable((r, node, t, a) => {
    const expression = textOf(a.positional[1]);
    if (!expression) return [r.notAnalyzed(node, 'a check expression computed at run time')];
    const constraint = checkConstraint(t, expression, a.options);
    return [
      {
        up: [{ kind: 'AddConstraint', ...r.at(node), table: table(t), constraint }],
        inverse: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name: constraint.name ?? '', ifExists: false }],
      },
    ];
  }),
  remove_check_constraint: oneTable((r, node, t, a) => {
    const expression = textOf(a.positional[1]);
    const name = textOf(a.options.get('name')) ?? (expression ? checkConstraintName(t, expression) : null);
    if (!name) return [r.notAnalyzed(node, 'a check constraint named at run time')];
    const inverse = expression
      ? [{ kind: 'AddConstraint', ...r.at(node), table: table(t), constraint: checkConstraint(t, expression, a.options) } as Operation]
      : r.irreversible(
          node,
          '`remove_check_constraint` without the expression: Rails cannot re-add it on rollback and raises ActiveRecord::IrreversibleMigration',
          `Give the expression: \`remove_check_constraint :${t}, "<expression>", name: "${name}"\`.`,
        );
    return [
      { up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: isTrue(a.options.get('if_exists')) }], inverse },
    ];
  }),
  validate_check_constraint: oneTable((r, node, t, a) => {
    const name = textOf(a.options.get('name'));
    if (!name) return [r.notAnalyzed(node, 'a check constraint named at run time')];
    return [{ up: [{ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name }], inverse: [] }];
  }),
  create_enum: (r, node, a) => {
    const name = textOf(a.positional[0]);
    const values = names(a.positional[1]);
    if (!name || !values) return [r.notAnalyzed(node, 'an enum defined at run time')];
    return [
      {
        up: [{ kind: 'CreateEnum', ...r.at(node), name: table(name), values }],
        inverse: [{ kind: 'DropEnum', ...r.at(node), name: table(name), ifExists: false }],
      },
    ];
  },
  drop_enum: (r, node, a) => {
    const name = textOf(a.positional[0]);
    if (!name) return [r.notAnalyzed(node, 'an enum named at run time')];
    const values = names(a.positional[1]);
    const inverse = values
      ? [{ kind: 'CreateEnum', ...r.at(node), name: table(name), values } as Operation]
      : r.irreversible(
          node,
          '`drop_enum` without its values: Rails cannot recreate the type on rollback and raises ActiveRecord::IrreversibleMigration',
          `Give the values: \`drop_enum :${name}, ["a", "b"]\`.`,
        );
    return [{ up: [{ kind: 'DropEnum', ...r.at(node), name: table(name), ifExists: isTrue(a.options.get('if_exists')) }], inverse }];
  },
  add_enum_value: (r, node, a) => {
    const [name, value] = [textOf(a.positional[0]), textOf(a.positional[1])];
    if (!name || !value) return [r.notAnalyzed(node, 'an enum value computed at run time')];
    const up: Operation = {
      kind: 'AlterEnum',
      ...r.at(node),
      name: table(name),
      action: {
        type: 'add',
        value,
        before: textOf(a.options.get('before')),
        after: textOf(a.options.get('after')),
        ifNotExists: isTrue(a.options.get('if_not_exists')),
      },
    };
    const inverse = r.irreversible(
      node,
      '`add_enum_value` in `change`: PostgreSQL cannot remove an enum value, so Rails raises ActiveRecord::IrreversibleMigration on rollback',
      'Write `up` and `down` methods; a down has to recreate the type without the value.',
    );
    return [{ up: [up], inverse }];
  },
  rename_enum_value: (r, node, a) => {
    const name = textOf(a.positional[0]);
    const [from, to] = [textOf(a.options.get('from')), textOf(a.options.get('to'))];
    if (!name || !from || !to) return [r.notAnalyzed(node, 'an enum value computed at run time')];
    const rename = (x: string, y: string): Operation => ({
      kind: 'AlterEnum',
      ...r.at(node),
      name: table(name),
      action: { type: 'rename', from: x, to: y },
    });
    return [{ up: [rename(from, to)], inverse: [rename(to, from)] }];
  },
  enable_extension: (r, node) => [{ up: [raw(r, node, 'enable_extension')], inverse: [raw(r, node, 'disable_extension')] }],
  disable_extension: (r, node) => [{ up: [raw(r, node, 'disable_extension')], inverse: [raw(r, node, 'enable_extension')] }],
  change_table: oneTable((r, node, t, a) => changeTable(r, node, t, a)),
  reversible: (r, _node, a) => {
    let up: Step[] = [];
    let down: Step[] | null = null;
    const body = blockBody(a.block);
    for (const stmt of body ? namedChildren(body) : []) {
      const receiver = stmt.type === 'call' ? stmt.childForFieldName('receiver') : null;
      const method = stmt.childForFieldName('method')?.text;
      const inner = stmt.type === 'call' ? blockBody(stmt.childForFieldName('block')) : null;
      if (receiver?.text === a.blockParam && method === 'up') up = r.statements(inner);
      else if (receiver?.text === a.blockParam && method === 'down') down = r.statements(inner);
      else up.push(...r.read(stmt));
    }
    const declared = down?.find((s) => !Array.isArray(s.inverse) && s.inverse.declared)?.inverse;
    const inverse = declared && !Array.isArray(declared) ? declared : (down ?? []).flatMap((s) => s.up);
    return [{ up: up.flatMap((s) => s.up), inverse }];
  },
  up_only: (r, _node, a) => [{ up: r.statements(blockBody(a.block)).flatMap((s) => s.up), inverse: [] }],
  revert: (r, node, a) => {
    if (!a.block) return [r.notAnalyzed(node, '`revert` of another migration class: twoway does not read other files here')];
    const inner = nested(r.statements(blockBody(a.block)));
    if (!Array.isArray(inner.inverse)) return [{ up: [], inverse: inner.inverse }];
    return [{ up: inner.inverse, inverse: inner.up }];
  },
  transaction: (r, _node, a) => [nested(r.statements(blockBody(a.block)))],
  say_with_time: (r, _node, a) => [nested(r.statements(blockBody(a.block)))],
  suppress_messages: (r, _node, a) => [nested(r.statements(blockBody(a.block)))],
  change_column_comment: oneTable((r, node, t, a) =>
    comment(r, node, a.positional[2] ?? a.options, `change_column_comment :${t}, :${textOf(a.positional[1]) ?? '…'}`),
  ),
  change_table_comment: oneTable((r, node, t, a) => comment(r, node, a.positional[1] ?? a.options, `change_table_comment :${t}`)),
  // Connection methods a migration forwards (Migration#method_missing). CommandRecorder does not record
  // them: inside `change` a rollback runs them again, forwards.
  ...Object.fromEntries(
    ['exec_query', 'exec_update', 'exec_delete', 'exec_insert', 'insert', 'update', 'delete'].map((method) => [
      method,
      ((r, node, a) => {
        const [step] = execute(r, node, a);
        return step ? [{ up: step.up, inverse: step.up }] : [];
      }) as Handler,
    ]),
  ),
  with_lock_retries: (r, _node, a) => [nested(r.statements(blockBody(a.block)))],
  fail: (r, node, a) => COMMANDS.raise?.(r, node, a) ?? [],
  safety_assured: (r, node, a) => {
    r.acknowledged(node, SAFETY_ASSURED);
    return [nested(r.statements(blockBody(a.block)))];
  },
  raise: (r, node, a) => {
    const error = a.positional[0];
    if (error?.kind === 'constant' && error.name.endsWith('IrreversibleMigration')) {
      return [
        {
          up: [],
          inverse: {
            reason: 'the migration raises ActiveRecord::IrreversibleMigration',
            fix: '',
            span: r.spans.span(node),
            declared: true,
          },
        },
      ];
    }
    // Any other error stops the migration where it is raised: in a down, the rollback cannot run
    // (Rails says so with IrreversibleMigration; a plain `raise "…"` does the same).
    return [
      {
        up: r.notAnalyzed(node, 'the migration raises an error').up,
        inverse: { reason: 'the migration raises an error', fix: '', span: r.spans.span(node), declared: true },
      },
    ];
  },
  ...newerCommands(),
  ...gitlabHelpers(),
};
// CommandRecorder: `alias :add_belongs_to :add_reference`, `alias :remove_belongs_to :remove_reference`.
COMMANDS.add_belongs_to = COMMANDS.add_reference as Handler;
COMMANDS.remove_belongs_to = COMMANDS.remove_reference as Handler;

/** A comment changes no answer; `change` reverts it only when given `from:` and `to:` (CommandRecorder). */
function comment(r: RailsReader, node: SyntaxNode, changes: RubyValue | Map<string, RubyValue>, call: string): Step[] {
  const given = changes instanceof Map ? changes : changes.kind === 'hash' ? changes.entries : null;
  const reversible = Boolean(given?.has('from') && given.has('to'));
  const method = call.split(' ')[0] as string;
  const inverse = reversible
    ? [raw(r, node, method)]
    : r.irreversible(
        node,
        `\`${method}\` without \`from:\`/\`to:\`: Rails does not know the old comment and raises ActiveRecord::IrreversibleMigration on rollback`,
        `Name both: \`${call}, from: <old>, to: <new>\`.`,
      );
  return [{ up: [raw(r, node, method)], inverse }];
}

/** `change_table :t do |t| … end`: each `t.` call is its own command, reverted on its own. */
function changeTable(r: RailsReader, _node: SyntaxNode, t: string, a: Args): Step[] {
  return r.inTableBlock(a.blockParam, blockBody(a.block), (stmt) => {
    const method = stmt.childForFieldName('method')?.text ?? '';
    const args = r.args(stmt);
    const tableArg: RubyValue = { kind: 'symbol', value: t, node: stmt };
    const as = (command: string, positional: RubyValue[] = args.positional) =>
      COMMANDS[command]?.(r, stmt, { ...args, positional: [tableArg, ...positional] }) ?? [];
    const each = (command: string, values: RubyValue[], rest: (v: RubyValue) => RubyValue[]) => values.flatMap((v) => as(command, rest(v)));
    if (method === 'virtual') {
      const type = args.options.get('type') ?? { kind: 'symbol', value: 'virtual', node: stmt };
      return each('add_column', args.positional, (c) => [c, type]);
    }
    if (COLUMN_TYPES.has(method)) return each('add_column', args.positional, (c) => [c, { kind: 'symbol', value: method, node: stmt }]);
    const type = args.options.get('type');
    const simple: Record<string, string> = {
      column: 'add_column',
      rename: 'rename_column',
      change: 'change_column',
      change_default: 'change_column_default',
      change_null: 'change_column_null',
      index: 'add_index',
      remove_index: 'remove_index',
      rename_index: 'rename_index',
      timestamps: 'add_timestamps',
      remove_timestamps: 'remove_timestamps',
      check_constraint: 'add_check_constraint',
      remove_check_constraint: 'remove_check_constraint',
      foreign_key: 'add_foreign_key',
      remove_foreign_key: 'remove_foreign_key',
      unique_constraint: 'add_unique_constraint',
      remove_unique_constraint: 'remove_unique_constraint',
      exclusion_constraint: 'add_exclusion_constraint',
      remove_exclusion_constraint: 'remove_exclusion_constraint',
    };
    const command = simple[method];
    if (command) return as(command);
    if (method === 'remove') return each('remove_column', args.positional, (c) => (type ? [c, type] : [c]));
    if (method === 'references' || method === 'belongs_to') return each('add_reference', args.positional, (ref) => [ref]);
    if (method === 'remove_references' || method === 'remove_belongs_to') return each('remove_reference', args.positional, (ref) => [ref]);
    return [r.notAnalyzed(stmt, `\`${a.blockParam}.${method}\` in change_table is not followed`)];
  });
}
