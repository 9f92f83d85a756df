// The schema statements Rails 7.1 to 8 added (PostgreSQL unique and exclusion constraints, schemas,
// enum renames; SQLite virtual tables), with the inverses CommandRecorder gives them in `change`
// (activerecord/lib/active_record/migration/command_recorder.rb).
import { constraintDef, type Operation } from '../../ir.js';
import { parseSql } from '../../sql/index.js';
import type { SyntaxNode } from '../tree-sitter.js';
import { type Handler, oneTable, table } from './definitions.js';
import { exclusionConstraintName, uniqueConstraintName } from './names.js';
import type { Args, RailsReader, Step } from './reader.js';
import { isTrue, names, type RubyValue, textOf } from './values.js';

/** What a schema statement runs, read by the SQL parser and placed at the Ruby call. */
function viaSql(r: RailsReader, node: SyntaxNode, sql: string): Operation[] | null {
  const parsed = parseSql({ path: r.source.path, text: sql, startLine: 1, language: 'sql' }, r.dialect);
  if (parsed.errors.length) return null;
  return parsed.ops.map((op) => ({ ...op, ...r.at(node) }));
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (name: string) => name.split('.').map(ident).join('.');

function deferrable(o: Map<string, RubyValue>): string {
  const d = textOf(o.get('deferrable'));
  return d === 'deferred' ? ' DEFERRABLE INITIALLY DEFERRED' : d === 'immediate' ? ' DEFERRABLE INITIALLY IMMEDIATE' : '';
}

function uniqueConstraint(r: RailsReader, node: SyntaxNode, t: string, a: Args): { op: Operation; name: string } | Step {
  const columns = names(a.positional[1]);
  const usingIndex = textOf(a.options.get('using_index'));
  if (!columns && !usingIndex) return r.notAnalyzed(node, 'unique constraint columns computed at run time');
  const name = textOf(a.options.get('name')) ?? uniqueConstraintName(t, columns ?? [usingIndex as string]);
  const op: Operation = {
    kind: 'AddConstraint',
    ...r.at(node),
    table: table(t),
    constraint: constraintDef('unique', columns ?? [], { name, usingIndex }),
  };
  return { op, name };
}

function exclusionConstraint(
  r: RailsReader,
  node: SyntaxNode,
  t: string,
  expression: string,
  o: Map<string, RubyValue>,
): Operation[] | null {
  const name = textOf(o.get('name')) ?? exclusionConstraintName(t, expression);
  const using = textOf(o.get('using'));
  const where = textOf(o.get('where'));
  return viaSql(
    r,
    node,
    `ALTER TABLE ${qualified(t)} ADD CONSTRAINT ${ident(name)} EXCLUDE${using ? ` USING ${using}` : ''} (${expression})${where ? ` WHERE (${where})` : ''}${deferrable(o)};`,
  );
}

function dropConstraint(r: RailsReader, node: SyntaxNode, t: string, name: string): Operation {
  return { kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: false };
}

export function newerCommands(): Record<string, Handler> {
  return {
    add_unique_constraint: oneTable((r, node, t, a) => {
      const made = uniqueConstraint(r, node, t, a);
      if ('up' in made) return [made];
      const inverse =
        made.op.kind === 'AddConstraint' && made.op.constraint.usingIndex
          ? r.irreversible(
              node,
              '`add_unique_constraint` with `using_index:`: Rails cannot revert it and raises ActiveRecord::IrreversibleMigration',
              'Write `up` and `down` methods: the down removes the constraint and re-creates the unique index it took over.',
            )
          : [dropConstraint(r, node, t, made.name)];
      return [{ up: [made.op], inverse }];
    }),
    remove_unique_constraint: oneTable((r, node, t, a) => {
      const columns = names(a.positional[1]);
      const name = textOf(a.options.get('name')) ?? (columns ? uniqueConstraintName(t, columns) : null);
      if (!name) return [r.notAnalyzed(node, 'a unique constraint named at run time')];
      const made = columns ? uniqueConstraint(r, node, t, a) : null;
      const inverse =
        made && !('up' in made)
          ? [made.op]
          : r.irreversible(
              node,
              '`remove_unique_constraint` without its columns: Rails cannot re-add it on rollback and raises ActiveRecord::IrreversibleMigration',
              `Give the columns: \`remove_unique_constraint :${t}, [:column], name: "${name}"\`.`,
            );
      return [{ up: [dropConstraint(r, node, t, name)], inverse }];
    }),
    add_exclusion_constraint: oneTable((r, node, t, a) => {
      const expression = textOf(a.positional[1]);
      const up = expression ? exclusionConstraint(r, node, t, expression, a.options) : null;
      if (!expression || !up) return [r.notAnalyzed(node, 'an exclusion constraint computed at run time')];
      const name = textOf(a.options.get('name')) ?? exclusionConstraintName(t, expression);
      return [{ up, inverse: [dropConstraint(r, node, t, name)] }];
    }),
    remove_exclusion_constraint: oneTable((r, node, t, a) => {
      const expression = textOf(a.positional[1]);
      const name = textOf(a.options.get('name')) ?? (expression ? exclusionConstraintName(t, expression) : null);
      if (!name) return [r.notAnalyzed(node, 'an exclusion constraint named at run time')];
      const readd = expression ? exclusionConstraint(r, node, t, expression, a.options) : null;
      const inverse =
        readd ??
        r.irreversible(
          node,
          '`remove_exclusion_constraint` without the expression: Rails cannot re-add it on rollback and raises ActiveRecord::IrreversibleMigration',
          `Give the expression: \`remove_exclusion_constraint :${t}, "<expression>", using: :gist, name: "${name}"\`.`,
        );
      return [{ up: [dropConstraint(r, node, t, name)], inverse }];
    }),
    create_schema: (r, node, a) => {
      const name = textOf(a.positional[0]);
      if (!name) return [r.notAnalyzed(node, 'a schema named at run time')];
      const force = isTrue(a.options.get('force'));
      const up = viaSql(
        r,
        node,
        `${force ? `DROP SCHEMA IF EXISTS ${ident(name)} CASCADE; ` : ''}CREATE SCHEMA${isTrue(a.options.get('if_not_exists')) ? ' IF NOT EXISTS' : ''} ${ident(name)};`,
      );
      const down = viaSql(r, node, `DROP SCHEMA ${ident(name)} CASCADE;`);
      if (!up || !down) return [r.notAnalyzed(node, '`create_schema` on a database without schemas')];
      return [{ up, inverse: down }];
    },
    drop_schema: (r, node, a) => {
      const name = textOf(a.positional[0]);
      if (!name) return [r.notAnalyzed(node, 'a schema named at run time')];
      // Rails always drops with CASCADE; on rollback `change` re-creates it empty.
      const up = viaSql(r, node, `DROP SCHEMA${isTrue(a.options.get('if_exists')) ? ' IF EXISTS' : ''} ${ident(name)} CASCADE;`);
      const down = viaSql(r, node, `CREATE SCHEMA ${ident(name)};`);
      if (!up || !down) return [r.notAnalyzed(node, '`drop_schema` on a database without schemas')];
      return [{ up, inverse: down }];
    },
    rename_schema: (r, node, a) => {
      const [from, to] = [textOf(a.positional[0]), textOf(a.positional[1])];
      if (!from || !to) return [r.notAnalyzed(node, 'a schema named at run time')];
      const up = viaSql(r, node, `ALTER SCHEMA ${ident(from)} RENAME TO ${ident(to)};`);
      if (!up) return [r.notAnalyzed(node, '`rename_schema` on a database without schemas')];
      // CommandRecorder does not record rename_schema: on rollback it runs again, forwards, and fails.
      const inverse = r.irreversible(
        node,
        '`rename_schema` is not a command CommandRecorder records: on rollback it runs the same rename again, which fails',
        `Write \`up\` and \`down\` methods: \`def down; rename_schema :${to}, :${from}; end\`.`,
      );
      return [{ up, inverse }];
    },
    rename_enum: (r, node, a) => {
      const name = textOf(a.positional[0]);
      const to = textOf(a.positional[1]) ?? textOf(a.options.get('to'));
      if (!name || !to) return [r.notAnalyzed(node, 'an enum named at run time')];
      const rename = (x: string, y: string): Operation => ({ kind: 'RenameType', ...r.at(node), name: table(x), newName: y });
      return [{ up: [rename(name, to)], inverse: [rename(to, name)] }];
    },
    create_virtual_table: (r, node, a) => {
      const made = virtualTable(r, node, a);
      if ('up' in made) return [made];
      return [{ up: [made.create], inverse: [made.drop] }];
    },
    drop_virtual_table: (r, node, a) => {
      const made = virtualTable(r, node, a);
      if ('up' in made) return [made];
      const inverse = a.positional[2]
        ? [made.create]
        : r.irreversible(
            node,
            '`drop_virtual_table` without its module and values: Rails cannot re-create it on rollback and raises ActiveRecord::IrreversibleMigration',
            `Give them: \`drop_virtual_table :${made.name}, :fts5, ["column", …]\`.`,
          );
      return [{ up: [made.drop], inverse }];
    },
  };
}

/**
 * SQLite's `create_virtual_table :t, :fts5, ["title", "body", "content=''"]`: a table whose columns
 * are the values without `=` (the others are the module's options); its rows are the index's.
 */
function virtualTable(r: RailsReader, node: SyntaxNode, a: Args): { create: Operation; drop: Operation; name: string } | Step {
  const name = textOf(a.positional[0]);
  const values = names(a.positional[2]) ?? [];
  if (!name) return r.notAnalyzed(node, 'a virtual table named at run time');
  const columns = values
    .filter((v) => !v.includes('='))
    .map((v) => v.trim().split(/\s+/)[0] as string)
    .map((column) => ({
      name: column,
      type: { name: 'text', args: [], arrayDims: 0, text: 'text' },
      nullable: true,
      default: null,
      primaryKey: false,
      unique: false,
      generated: false,
      identity: false,
      references: null,
    }));
  return {
    name,
    create: { kind: 'CreateTable', ...r.at(node), table: table(name), columns, constraints: [], ifNotExists: true, derived: false },
    drop: { kind: 'DropTable', ...r.at(node), table: table(name), ifExists: false, cascade: false },
  };
}
