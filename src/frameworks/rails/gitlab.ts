// GitLab's migration helpers, read for what they run (lib/gitlab/database/migration_helpers.rb).
import { type ColumnDef, constraintDef, type Operation } from '../../ir.js';
import type { SyntaxNode } from '../tree-sitter.js';
import {
  addColumns,
  columnDef,
  dropColumns,
  dropIndexOp,
  foreignKey,
  type Handler,
  indexOp,
  needNames,
  oneTable,
  raw,
  table,
} from './definitions.js';
import { foreignKeyColumn, foreignKeyName, gitlabCheckName, indexName } from './names.js';
import type { Args, Irreversible, RailsReader, Step } from './reader.js';
import { railsType } from './types.js';
import { isTrue, names, numberOf, textOf } from './values.js';

/**
 * GitLab's migration helpers (lib/gitlab/database/migration_helpers.rb), by what they run.
 * CommandRecorder does not know them: inside `change` Rails cannot revert them.
 */
export function gitlabHelpers(): Record<string, Handler> {
  const notRecorded = (r: RailsReader, node: SyntaxNode, helper: string, down: string): Irreversible =>
    r.irreversible(
      node,
      `\`${helper}\` is a GitLab helper, not a command Rails records: \`change\` cannot revert it`,
      `Write \`up\` and \`down\` methods: \`def down; ${down}; end\`.`,
    );
  /** GitLab's check constraint helpers: `check_<hash>` NOT VALID, then validated unless `validate: false`. */
  const checkHelper = (
    r: RailsReader,
    node: SyntaxNode,
    t: string,
    a: Args,
    column: string,
    type: string,
    expression: string,
    helper: string,
    down: string,
  ): Step[] => {
    const name = textOf(a.options.get('constraint_name')) ?? gitlabCheckName(t, column, type);
    const constraint = constraintDef('check', [column], { name, notValid: true, expression });
    const up: Operation[] = [{ kind: 'AddConstraint', ...r.at(node), table: table(t), constraint }];
    if (!(a.options.get('validate')?.kind === 'bool' && !isTrue(a.options.get('validate'))))
      up.push({ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name });
    return [{ up, inverse: notRecorded(r, node, helper, `${down} :${t}, :${column}`) }];
  };
  const dropCheckHelper = (r: RailsReader, node: SyntaxNode, t: string, a: Args, type: string, helper: string): Step[] => {
    const column = textOf(a.positional[1]);
    const name = textOf(a.options.get('constraint_name')) ?? (column ? gitlabCheckName(t, column, type) : null);
    if (!name) return [r.notAnalyzed(node, 'a constraint named at run time')];
    return [
      {
        up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: true }],
        inverse: notRecorded(r, node, helper, 'add it back'),
      },
    ];
  };
  const unknownType = (column: string) => ({ name: 'unknown', args: [], arrayDims: 0, text: `the type of ${column}` });
  return {
    add_concurrent_index: oneTable((r, node, t, a) => {
      const cols = names(a.positional[1]);
      if (!cols) return [r.notAnalyzed(node, 'index columns computed at run time')];
      const options = new Map(a.options).set('algorithm', { kind: 'symbol', value: 'concurrently', node });
      options.set('if_not_exists', { kind: 'bool', value: true, node });
      const add = indexOp(r, node, t, cols, options);
      return [
        {
          up: [add],
          inverse: notRecorded(
            r,
            node,
            'add_concurrent_index',
            `remove_concurrent_index_by_name :${t}, "${(add as { name: string }).name}"`,
          ),
        },
      ];
    }),
    remove_concurrent_index: oneTable((r, node, t, a) => {
      const cols = names(a.positional[1]);
      const name = textOf(a.options.get('name')) ?? (cols ? indexName(t, cols, r.migrationVersion) : null);
      if (!name) return [r.notAnalyzed(node, 'an index named at run time')];
      const options = new Map(a.options).set('algorithm', { kind: 'symbol', value: 'concurrently', node });
      options.set('if_exists', { kind: 'bool', value: true, node });
      return [
        {
          up: [dropIndexOp(r, node, t, name, options)],
          inverse: notRecorded(r, node, 'remove_concurrent_index', `add_concurrent_index :${t}, …`),
        },
      ];
    }),
    remove_concurrent_index_by_name: oneTable((r, node, t, a) => {
      const name = textOf(a.positional[1]) ?? textOf(a.options.get('name'));
      if (!name) return [r.notAnalyzed(node, 'an index named at run time')];
      const options = new Map(a.options).set('algorithm', { kind: 'symbol', value: 'concurrently', node });
      options.set('if_exists', { kind: 'bool', value: true, node });
      return [
        {
          up: [dropIndexOp(r, node, t, name, options)],
          inverse: notRecorded(r, node, 'remove_concurrent_index_by_name', `add_concurrent_index :${t}, …`),
        },
      ];
    }),
    add_concurrent_foreign_key: oneTable((r, node, t, a) => {
      const to = textOf(a.positional[1]);
      if (!to) return [r.notAnalyzed(node, 'a target table computed at run time')];
      const options = new Map(a.options).set('validate', { kind: 'bool', value: false, node });
      // GitLab names its keys fk_<hash> (concurrent_foreign_key_name), not fk_rails_<hash>.
      const column = textOf(a.options.get('column')) ?? foreignKeyColumn(to);
      if (!options.has('name')) options.set('name', { kind: 'string', value: foreignKeyName(t, column).replace('fk_rails_', 'fk_'), node });
      const add = foreignKey(r, node, t, to, options);
      const name = add.kind === 'AddConstraint' ? (add.constraint.name ?? '') : '';
      const up: Operation[] = [add];
      // GitLab adds the key NOT VALID, then validates it (unless validate: false).
      if (!(a.options.get('validate')?.kind === 'bool' && !isTrue(a.options.get('validate')))) {
        up.push({ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name });
      }
      return [{ up, inverse: notRecorded(r, node, 'add_concurrent_foreign_key', `remove_foreign_key_if_exists :${t}, :${to}`) }];
    }),
    remove_foreign_key_if_exists: oneTable((r, node, t, a) => {
      const to = textOf(a.positional[1]);
      const column = textOf(a.options.get('column')) ?? (to ? foreignKeyColumn(to) : null);
      const name = textOf(a.options.get('name')) ?? (column ? foreignKeyName(t, column) : null);
      if (!name) return [r.notAnalyzed(node, 'a foreign key named at run time')];
      return [
        {
          up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: true }],
          inverse: notRecorded(r, node, 'remove_foreign_key_if_exists', `add_concurrent_foreign_key :${t}, …`),
        },
      ];
    }),
    rename_column_concurrently: oneTable((r, node, t, a) => {
      const cols = needNames(r, node, a.positional.slice(1, 3), 'column name');
      if (!Array.isArray(cols)) return [cols];
      const [from, to] = cols as [string, string];
      const type = textOf(a.options.get('type'));
      // Adds the new column, installs triggers that keep both in sync, copies the values in batches.
      const column: ColumnDef = {
        ...columnDef(r, to, type ?? 'string', new Map()),
        type: type ? railsType(type, {}, r.dialect) : unknownType(from),
      };
      const up: Operation[] = [
        ...addColumns(r, node, t, [column], new Map()),
        raw(r, node, 'install_rename_triggers'),
        { kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: false, columns: [to] },
      ];
      return [
        { up, inverse: notRecorded(r, node, 'rename_column_concurrently', `undo_rename_column_concurrently :${t}, :${from}, :${to}`) },
      ];
    }),
    undo_rename_column_concurrently: oneTable((r, node, t, a) => {
      const to = textOf(a.positional[2]);
      if (!to) return [r.notAnalyzed(node, 'a column named at run time')];
      return [{ up: [raw(r, node, 'remove_rename_triggers'), ...dropColumns(r, node, t, [to], new Map())], inverse: [] }];
    }),
    cleanup_concurrent_column_rename: oneTable((r, node, t, a) => {
      const from = textOf(a.positional[1]);
      if (!from) return [r.notAnalyzed(node, 'a column named at run time')];
      return [
        {
          up: [raw(r, node, 'remove_rename_triggers'), ...dropColumns(r, node, t, [from], new Map())],
          inverse: notRecorded(r, node, 'cleanup_concurrent_column_rename', `undo_cleanup_concurrent_column_rename :${t}, …`),
        },
      ];
    }),
    change_column_type_concurrently: oneTable((r, node, t, a) => {
      const [column, type] = [textOf(a.positional[1]), textOf(a.positional[2])];
      if (!column || !type) return [r.notAnalyzed(node, 'a column or type computed at run time')];
      const temp = `${column}_for_type_change`;
      const up: Operation[] = [
        ...addColumns(r, node, t, [columnDef(r, temp, type, a.options)], new Map()),
        raw(r, node, 'install_rename_triggers'),
        { kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: false, columns: [temp] },
      ];
      return [
        { up, inverse: notRecorded(r, node, 'change_column_type_concurrently', `undo_change_column_type_concurrently :${t}, :${column}`) },
      ];
    }),
    cleanup_concurrent_column_type_change: oneTable((r, node, t, a) => {
      const column = textOf(a.positional[1]);
      if (!column) return [r.notAnalyzed(node, 'a column named at run time')];
      const temp = `${column}_for_type_change`;
      const up: Operation[] = [
        raw(r, node, 'remove_rename_triggers'),
        ...dropColumns(r, node, t, [column], new Map()),
        { kind: 'RenameColumn', ...r.at(node), table: table(t), column: temp, newName: column },
      ];
      return [
        {
          up,
          inverse: notRecorded(
            r,
            node,
            'cleanup_concurrent_column_type_change',
            `undo_cleanup_concurrent_column_type_change :${t}, :${column}, …`,
          ),
        },
      ];
    }),
    add_text_limit: oneTable((r, node, t, a) => {
      const [column, limit] = [textOf(a.positional[1]), numberOf(a.positional[2])];
      if (!column || limit === undefined) return [r.notAnalyzed(node, 'a column or limit computed at run time')];
      return checkHelper(r, node, t, a, column, 'max_length', `char_length(${column}) <= ${limit}`, 'add_text_limit', 'remove_text_limit');
    }),
    add_not_null_constraint: oneTable((r, node, t, a) => {
      const column = textOf(a.positional[1]);
      if (!column) return [r.notAnalyzed(node, 'a column computed at run time')];
      return checkHelper(
        r,
        node,
        t,
        a,
        column,
        'not_null',
        `${column} IS NOT NULL`,
        'add_not_null_constraint',
        'remove_not_null_constraint',
      );
    }),
    remove_text_limit: oneTable((r, node, t, a) => dropCheckHelper(r, node, t, a, 'max_length', 'remove_text_limit')),
    remove_not_null_constraint: oneTable((r, node, t, a) => dropCheckHelper(r, node, t, a, 'not_null', 'remove_not_null_constraint')),
    queue_batched_background_migration: (r, node, a) => {
      // (job class, table, batch column, job arguments…): the job rewrites rows of the table in the background.
      const t = textOf(a.positional[1]);
      if (!t) return [r.notAnalyzed(node, 'a background migration whose table is computed at run time')];
      const op: Operation = { kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: false, columns: [] };
      return [{ up: [op], inverse: notRecorded(r, node, 'queue_batched_background_migration', 'delete_batched_background_migration …') }];
    },
    delete_batched_background_migration: (r, node) => [{ up: [raw(r, node, 'delete_batched_background_migration')], inverse: [] }],
    ensure_batched_background_migration_is_finished: (r, node) => [
      { up: [raw(r, node, 'ensure_batched_background_migration_is_finished')], inverse: [] },
    ],
    update_column_in_batches: oneTable((r, node, t, a) => {
      const column = textOf(a.positional[1]);
      if (!column) return [r.notAnalyzed(node, 'a column named at run time')];
      const op: Operation = {
        kind: 'DataChange',
        ...r.at(node),
        action: 'update',
        table: table(t),
        hasWhere: a.block !== null,
        columns: [column],
      };
      return [{ up: [op], inverse: notRecorded(r, node, 'update_column_in_batches', 'restore the old values') }];
    }),
  };
}
