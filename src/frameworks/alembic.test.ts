import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import type { Operation } from '../ir.js';
import type { Migration } from '../migration.js';
import { ruleById } from '../rules/index.js';
import { loadSqlParsers } from '../sql/index.js';
import { alembic, dialectOfUrl, parseAlembic } from './alembic.js';
import { loadPythonGrammar } from './python/ast.js';

beforeAll(async () => {
  await Promise.all([loadSqlParsers(), loadPythonGrammar()]);
});

function revision(body: string, dialect: Migration['dialect'] = 'postgresql') {
  const text = `"""test"""\nfrom alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n\nrevision = 'abc'\ndown_revision = None\n\n${body}`;
  const source = { path: 'versions/abc_test.py', text, startLine: 1, language: 'python' as const };
  return parseAlembic({
    id: 'abc',
    name: 'test',
    framework: 'alembic',
    dialect,
    path: source.path,
    files: [source.path],
    up: source,
    down: source,
    transactional: true,
  });
}

/** Line of the first occurrence of `needle` in the test file (the header above takes 8 lines). */
const HEADER_LINES = 8;

function kinds(ops: readonly Operation[] | null): string[] {
  return (ops ?? []).map((o) => o.kind);
}

describe('alembic: upgrade() operations', () => {
  it('create_table maps columns, SQLAlchemy types, nullability, defaults and constraints', () => {
    const p = revision(`def upgrade():
    op.create_table(
        'accounts',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('email', sa.String(255), nullable=False, unique=True),
        sa.Column('name', sa.String()),
        sa.Column('bio', sa.Text),
        sa.Column('balance', sa.Numeric(10, 2), server_default='0'),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true()),
        sa.Column('prefs', postgresql.JSONB(astext_type=sa.Text())),
        sa.Column('tags', postgresql.ARRAY(sa.String(20))),
        sa.Column('mood', sa.Enum('happy', 'sad', name='mood')),
        sa.Column('owner_id', sa.Integer, sa.ForeignKey('users.id'), index=True),
        sa.CheckConstraint('balance >= 0', name='balance_positive'),
    )


def downgrade():
    op.drop_table('accounts')
    op.execute('DROP TYPE mood')
`);
    expect(p.errors).toEqual([]);
    expect(kinds(p.up)).toEqual(['CreateEnum', 'CreateTable', 'AddIndex']);
    const [createEnum, create, index] = p.up as [Operation, Operation, Operation];
    expect(createEnum).toMatchObject({ kind: 'CreateEnum', name: { name: 'mood' }, values: ['happy', 'sad'] });
    if (create.kind !== 'CreateTable') throw new Error('not a CreateTable');
    const col = (name: string) => create.columns.find((c) => c.name === name);
    expect(col('id')).toMatchObject({ type: { name: 'int8' }, primaryKey: true, nullable: false });
    expect(col('email')).toMatchObject({ type: { name: 'varchar', args: [255], text: 'varchar(255)' }, nullable: false, unique: true });
    expect(col('name')).toMatchObject({ type: { name: 'varchar', args: [] }, nullable: true });
    expect(col('bio')?.type.name).toBe('text');
    expect(col('balance')).toMatchObject({ type: { name: 'numeric', args: [10, 2] }, default: { text: "'0'", volatile: false } });
    expect(col('created_at')).toMatchObject({ type: { name: 'timestamptz' }, nullable: false, default: { text: 'now()' } });
    expect(col('active')?.default?.text).toBe('true');
    expect(col('prefs')?.type.name).toBe('jsonb');
    expect(col('tags')?.type).toMatchObject({ name: 'varchar', args: [20], arrayDims: 1 });
    expect(col('mood')?.type.name).toBe('mood');
    expect(col('owner_id')).toMatchObject({ type: { name: 'int4' }, references: { table: { name: 'users' }, columns: ['id'] } });
    expect(create.constraints).toContainEqual(
      expect.objectContaining({ type: 'check', name: 'balance_positive', expression: 'balance >= 0' }),
    );
    expect(create.constraints).toContainEqual(expect.objectContaining({ type: 'foreign-key', columns: ['owner_id'] }));
    expect(index).toMatchObject({ kind: 'AddIndex', name: 'ix_accounts_owner_id', columns: ['owner_id'], concurrently: false });
    expect(create.span).toMatchObject({ path: 'versions/abc_test.py', line: HEADER_LINES + 2, column: 5, endLine: HEADER_LINES + 16 });
    expect(p.downStatus).toBe('written');
    expect(kinds(p.down)).toEqual(['DropTable', 'DropEnum']);
  });

  it('add_column, drop_column, rename_table and alter_column produce one op per change, in the order Alembic emits them', () => {
    const p = revision(`def upgrade():
    op.add_column('users', sa.Column('nickname', sa.String(50), nullable=True))
    op.add_column('users', sa.Column('team_id', sa.Integer(), sa.ForeignKey('teams.id'), nullable=True), schema='app')
    op.drop_column('users', 'legacy')
    op.rename_table('people', 'persons')
    op.alter_column('users', 'email', existing_type=sa.String(100), type_=sa.String(255), nullable=False,
                    server_default='x', new_column_name='email_address', postgresql_using='email::varchar(255)')
    op.alter_column('users', 'age', server_default=None)
`);
    expect(p.errors).toEqual([]);
    expect(kinds(p.up)).toEqual([
      'AddColumn',
      'AddColumn',
      'AddConstraint',
      'DropColumn',
      'RenameTable',
      'AlterColumnType',
      'SetNotNull',
      'SetDefault',
      'RenameColumn',
      'SetDefault',
    ]);
    expect(p.up[0]).toMatchObject({
      table: { name: 'users' },
      column: { name: 'nickname', nullable: true, type: { text: 'varchar(50)' } },
    });
    expect(p.up[0]?.span).toMatchObject({ line: HEADER_LINES + 2, column: 5 });
    expect(p.up[1]).toMatchObject({ table: { schema: 'app', name: 'users' }, column: { name: 'team_id', references: null } });
    expect(p.up[2]).toMatchObject({
      table: { schema: 'app', name: 'users' },
      constraint: { type: 'foreign-key', references: { table: { name: 'teams' } } },
    });
    expect(p.up[3]).toMatchObject({ kind: 'DropColumn', table: { name: 'users' }, column: 'legacy' });
    expect(p.up[4]).toMatchObject({ kind: 'RenameTable', table: { name: 'people' }, newName: 'persons' });
    expect(p.up[5]).toMatchObject({
      kind: 'AlterColumnType',
      column: 'email',
      type: { name: 'varchar', args: [255] },
      using: 'email::varchar(255)',
    });
    expect(p.up[7]).toMatchObject({ kind: 'SetDefault', default: { text: "'x'" } });
    expect(p.up[8]).toMatchObject({ kind: 'RenameColumn', column: 'email', newName: 'email_address' });
    expect(p.up[9]).toMatchObject({ kind: 'SetDefault', column: 'age', default: null });
    expect(p.downStatus).toBe('none');
    expect(p.down).toBeNull();
  });

  it('indexes and constraints: concurrently, partial, op.f names, unique, foreign keys, checks, drops', () => {
    const p = revision(`def upgrade():
    with op.get_context().autocommit_block():
        op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True, postgresql_concurrently=True,
                        postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_index('ix_users_lower_name', 'users', [sa.text('lower(name)')], postgresql_using='gin')
    op.create_unique_constraint('uq_users_handle', 'users', ['handle'])
    op.create_foreign_key('fk_users_team', 'users', 'teams', ['team_id'], ['id'], ondelete='CASCADE')
    op.create_check_constraint('ck_users_age', 'users', 'age >= 0')
    op.drop_constraint('uq_old', 'users', type_='unique')
    op.drop_index('ix_old', table_name='users', postgresql_concurrently=True)
`);
    expect(p.errors).toEqual([]);
    expect(kinds(p.up)).toEqual([
      'Transaction',
      'AddIndex',
      'Transaction',
      'AddIndex',
      'AddConstraint',
      'AddConstraint',
      'AddConstraint',
      'DropConstraint',
      'DropIndex',
    ]);
    expect(p.up[0]).toMatchObject({ action: 'commit', span: { line: HEADER_LINES + 2, endLine: HEADER_LINES + 2 } });
    expect(p.up[1]).toMatchObject({
      name: 'ix_users_email',
      table: { name: 'users' },
      columns: ['email'],
      unique: true,
      concurrently: true,
      where: 'deleted_at IS NULL',
    });
    expect(p.up[2]).toMatchObject({ action: 'begin' });
    expect(p.up[3]).toMatchObject({ columns: ['lower(name)'], method: 'gin', concurrently: false });
    expect(p.up[4]).toMatchObject({ constraint: { name: 'uq_users_handle', type: 'unique', columns: ['handle'] } });
    expect(p.up[5]).toMatchObject({
      constraint: { type: 'foreign-key', columns: ['team_id'], references: { table: { name: 'teams' }, columns: ['id'] } },
    });
    expect(p.up[6]).toMatchObject({ constraint: { type: 'check', expression: 'age >= 0' } });
    expect(p.up[7]).toMatchObject({ kind: 'DropConstraint', name: 'uq_old', table: { name: 'users' } });
    expect(p.up[8]).toMatchObject({ kind: 'DropIndex', index: { name: 'ix_old' }, concurrently: true });
  });

  it('batch_alter_table: batch_op calls take the table from the block', () => {
    const p = revision(`def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.alter_column('status', existing_type=sa.String(20), nullable=False)
        batch_op.create_index(batch_op.f('ix_orders_note'), ['note'], unique=False)
        batch_op.drop_column('obsolete')
        batch_op.create_foreign_key('fk_orders_user', 'users', ['user_id'], ['id'])
`);
    expect(p.errors).toEqual([]);
    expect(kinds(p.up)).toEqual(['AddColumn', 'SetNotNull', 'AddIndex', 'DropColumn', 'AddConstraint']);
    for (const op of p.up) expect(op).toMatchObject({ table: { name: 'orders' } });
    expect(p.up[2]).toMatchObject({ name: 'ix_orders_note', columns: ['note'] });
    expect(p.up[4]).toMatchObject({ constraint: { columns: ['user_id'], references: { table: { name: 'users' } } } });
    expect(p.up[3]?.span).toMatchObject({ line: HEADER_LINES + 6, column: 9 });
  });

  it('op.execute: strings, sa.text and triple-quoted SQL go through the SQL parser at their position', () => {
    const p = revision(`def upgrade():
    op.execute("UPDATE users SET active = true WHERE active IS NULL")
    op.execute(sa.text("DELETE FROM sessions"))
    op.execute(
        """
        CREATE INDEX CONCURRENTLY ix_a ON users (a);
        ALTER TABLE users ALTER COLUMN a SET NOT NULL;
        """
    )
    conn = op.get_bind()
    conn.execute(sa.text("TRUNCATE audit_log"))
`);
    expect(p.errors).toEqual([]);
    expect(kinds(p.up)).toEqual(['DataChange', 'DataChange', 'AddIndex', 'SetNotNull', 'DataChange']);
    expect(p.up[0]).toMatchObject({
      action: 'update',
      table: { name: 'users' },
      hasWhere: true,
      span: { line: HEADER_LINES + 2, column: 17 },
    });
    expect(p.up[1]).toMatchObject({ action: 'delete', table: { name: 'sessions' }, span: { line: HEADER_LINES + 3, column: 25 } });
    expect(p.up[2]).toMatchObject({ concurrently: true, span: { line: HEADER_LINES + 6, column: 9 } });
    expect(p.up[3]?.span).toMatchObject({ line: HEADER_LINES + 7, column: 9 });
    expect(p.up[4]).toMatchObject({ action: 'truncate', table: { name: 'audit_log' } });
  });

  it('what stays unknown is not analyzed at its place: run-time conditions, while loops, loops over run-time values, calls it cannot read', () => {
    const p = revision(`def upgrade():
    if some_flag():
        op.drop_table('legacy')
    while True:
        op.drop_table('t')
    for name in op.get_bind().execute(sa.text('SELECT name FROM flags')).scalars():
        op.add_column('users', sa.Column(name, sa.Text()))
    run_migration_helper()
    op.execute(some_sql())
`);
    expect(p.up.map((o) => [o.kind, o.span.line - HEADER_LINES, o.kind === 'Raw' ? o.notAnalyzed : null])).toEqual([
      ['Raw', 2, 'a condition: which operations run is decided at run time'],
      ['Raw', 4, 'a while loop: how often it runs is decided at run time'],
      ['Raw', 6, 'a loop over values known only at run time'],
      ['Raw', 8, 'a call to run_migration_helper(): twoway does not run code it cannot read'],
      ['Raw', 9, 'SQL built at run time (not a string literal)'],
    ]);
  });

  it('bulk_insert and SQLAlchemy expressions on a sa.table() are data changes; sa.Enum create/drop are enum ops', () => {
    const p = revision(`def upgrade():
    roles = sa.table('roles', sa.column('name', sa.String))
    op.bulk_insert(roles, [{'name': 'admin'}])
    op.execute(roles.update().where(roles.c.name == 'root').values(name='admin'))
    status = postgresql.ENUM('on', 'off', name='status')
    status.create(op.get_bind())


def downgrade():
    sa.Enum(name='status').drop(op.get_bind(), checkfirst=True)
`);
    expect(p.errors).toEqual([]);
    expect(p.up).toMatchObject([
      { kind: 'DataChange', action: 'insert', table: { name: 'roles' } },
      { kind: 'DataChange', action: 'update', table: { name: 'roles' }, hasWhere: true, columns: ['name'] },
      { kind: 'CreateEnum', name: { name: 'status' }, values: ['on', 'off'] },
    ]);
    expect(p.down).toMatchObject([{ kind: 'DropEnum', name: { name: 'status' }, ifExists: true }]);
  });
});

describe('alembic: code paths, read the way a person reads them', () => {
  const table = (o: Operation) => ('table' in o ? o.table.name : '');
  const summary = (ops: readonly Operation[] | null) =>
    (ops ?? []).map((o) => {
      if (o.kind === 'AddColumn') return `AddColumn ${table(o)}.${o.column.name}`;
      if (o.kind === 'DataChange') return `DataChange ${o.action} ${table(o)} ${o.columns.join(',')}`;
      if (o.kind === 'AddIndex') return `AddIndex ${o.name}`;
      if (o.kind === 'RenameColumn') return `RenameColumn ${o.column}->${o.newName}`;
      if (o.kind === 'DropColumn') return `DropColumn ${table(o)}.${o.column}`;
      if (o.kind === 'Raw') return `Raw ${o.notAnalyzed ?? o.statement}`;
      return o.kind;
    });

  it.each([
    [
      'a module constant in an f-string',
      `TABLE = "users"\n\ndef upgrade():\n    op.execute(f"UPDATE {TABLE} SET a = 1")\n`,
      ['DataChange update users a'],
    ],
    [
      'a local in a concatenation',
      `def upgrade():\n    t = 'users'\n    op.execute("UPDATE " + t + " SET b = 2")\n`,
      ['DataChange update users b'],
    ],
    [
      '% formatting of a constant',
      `T = 'users'\n\ndef upgrade():\n    op.execute("UPDATE %s SET c = %d" % (T, 3))\n`,
      ['DataChange update users c'],
    ],
    [
      'str.format with keywords',
      `def upgrade():\n    op.execute("UPDATE {t} SET d = {v}".format(t='users', v=4))\n`,
      ['DataChange update users d'],
    ],
    [
      'a SQL constant given to op.execute',
      `SQL = "UPDATE users SET e = 5"\n\ndef upgrade():\n    op.execute(sa.text(SQL))\n`,
      ['DataChange update users e'],
    ],
    [
      'a loop over a literal list',
      `def upgrade():\n    for name in ['a', 'b']:\n        op.add_column('users', sa.Column(name, sa.Text()))\n`,
      ['AddColumn users.a', 'AddColumn users.b'],
    ],
    [
      "a loop over a constant dict's items",
      `RENAMES = {'x': 'y', 'z': 'w'}\n\ndef upgrade():\n    for old, new in RENAMES.items():\n        op.alter_column('users', old, new_column_name=new)\n`,
      ['RenameColumn x->y', 'RenameColumn z->w'],
    ],
    [
      'a helper of the same file with a default argument',
      `def _add(name, kind=sa.Text()):\n    op.add_column('users', sa.Column(name, kind))\n\ndef upgrade():\n    _add('a')\n    _add(name='b')\n`,
      ['AddColumn users.a', 'AddColumn users.b'],
    ],
    [
      'a try body, as if it runs (the handler is the exception)',
      `def upgrade():\n    try:\n        op.drop_column('users', 'legacy')\n    except Exception:\n        op.execute('SELECT 1')\n`,
      ['DropColumn users.legacy'],
    ],
    [
      'a guard on the current schema, as if the guarded change happens',
      `def upgrade():\n    inspector = sa.inspect(op.get_bind())\n    if 'extra' not in [c['name'] for c in inspector.get_columns('users')]:\n        op.add_column('users', sa.Column('extra', sa.Text()))\n`,
      ['AddColumn users.extra'],
    ],
    [
      'an early return on a schema guard, then the change',
      `def upgrade():\n    if has_column('users', 'extra'):\n        return\n    op.add_column('users', sa.Column('extra', sa.Text()))\n`,
      ['AddColumn users.extra'],
    ],
    [
      'a return ends the function',
      `def upgrade():\n    op.add_column('users', sa.Column('a', sa.Text()))\n    return\n    op.drop_table('users')\n`,
      ['AddColumn users.a'],
    ],
    [
      'offline mode, print and logging change nothing',
      `def upgrade():\n    if context.is_offline_mode():\n        print('offline')\n    logger.info('upgrading')\n    op.add_column('users', sa.Column('a', sa.Text()))\n`,
      ['AddColumn users.a'],
    ],
  ])('follows %s', (_case, body, expected) => {
    const p = revision(body);
    expect(p.errors).toEqual([]);
    expect(summary(p.up)).toEqual(expected);
  });

  it('a helper called from a loop reads the loop value through the argument; a recursive helper is not followed', () => {
    const p = revision(`def _add(name):
    op.add_column('users', sa.Column(f"is_{name}", sa.Boolean()))

def _again(n):
    _again(n)

def upgrade():
    for flag in ('gift', 'express'):
        _add(flag)
    _again(1)
`);
    expect(summary(p.up)).toEqual([
      'AddColumn users.is_gift',
      'AddColumn users.is_express',
      'Raw a recursive or deeply nested call to _again()',
    ]);
  });

  it.each([
    ['postgresql', ['AddIndex ix_pg']],
    ['sqlite', ['AddIndex ix_other']],
  ] as const)('a branch on the dialect takes the branch of the set (%s)', (dialect, expected) => {
    const p = revision(
      `def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.create_index("ix_pg", "users", ["a"], postgresql_concurrently=True)
    else:
        op.create_index("ix_other", "users", ["a"])
`,
      dialect,
    );
    expect(summary(p.up)).toEqual(expected);
  });

  it.each([
    ['postgresql', ['AddIndex ix_not_sqlite']],
    ['sqlite', []],
  ] as const)('op.get_context().dialect.name in a local, compared with !=, on %s', (dialect, expected) => {
    const p = revision(
      `def upgrade():
    dialect = op.get_context().dialect.name
    if dialect != "sqlite":
        op.create_index("ix_not_sqlite", "users", ["a"])
`,
      dialect,
    );
    expect(summary(p.up)).toEqual(expected);
  });

  it('a condition on the current schema with changes in both branches is not analyzed', () => {
    const p = revision(`def upgrade():
    if has_table('users'):
        op.add_column('users', sa.Column('a', sa.Text()))
    else:
        op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))
`);
    expect(summary(p.up)).toEqual([
      'Raw a condition on the current schema with changes in more than one branch: which runs depends on the database',
    ]);
  });

  it('SQL built from a constant has the position of the expression; a plain constant keeps its own', () => {
    const p = revision(`T = "users"
SQL = "UPDATE users SET z = 1"

def upgrade():
    op.execute(f"UPDATE {T} SET a = 1")
    op.execute(SQL)
`);
    expect(p.up.map((o) => [o.span.line - HEADER_LINES, o.span.column])).toEqual([
      [5, 16],
      [2, 8],
    ]);
  });

  it('spans count characters, also after non-ASCII text on the line', () => {
    const p = revision(`def upgrade():
    op.execute("UPDATE t SET a = 'é✓'"); op.drop_column('t', 'b')
`);
    const drop = p.up.find((o) => o.kind === 'DropColumn');
    const line = p.migration.up.text.split('\n')[drop ? drop.span.line - 1 : 0] ?? '';
    expect(drop?.span.column).toBe(line.indexOf('op.drop_column') + 1);
  });
});

describe('alembic: downgrade()', () => {
  it('a downgrade that is pass has no down', () => {
    const p = revision(`def upgrade():\n    op.drop_column('users', 'x')\n\n\ndef downgrade():\n    pass\n`);
    expect(p).toMatchObject({ downStatus: 'none', down: null });
  });

  it('a downgrade that raises is declared irreversible', () => {
    const p = revision(
      `def upgrade():\n    op.drop_column('users', 'x')\n\n\ndef downgrade():\n    raise NotImplementedError('one way')\n`,
    );
    expect(p).toMatchObject({ downStatus: 'irreversible', down: null });
  });

  it('a written downgrade is read like the upgrade', () => {
    const p = revision(
      `def upgrade():\n    op.add_column('users', sa.Column('x', sa.Integer()))\n\n\ndef downgrade():\n    op.drop_column('users', 'x')\n`,
    );
    expect(p.downStatus).toBe('written');
    expect(p.down).toMatchObject([{ kind: 'DropColumn', table: { name: 'users' }, column: 'x', span: { line: HEADER_LINES + 6 } }]);
  });

  it('comments carry directives', () => {
    const p = revision(`def upgrade():\n    # twoway-ignore drop-column: archived in 0041\n    op.drop_column('users', 'x')\n`);
    expect(p.directives).toMatchObject([{ type: 'ignore', rule: 'drop-column', reason: 'archived in 0041', line: HEADER_LINES + 2 }]);
  });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'twoway-alembic-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function detectIn(dir: string) {
  return alembic.detect({ abs: dir, rel: '.', entries: readdirSync(dir, { withFileTypes: true }) });
}

const rev = (id: string, down: string) => `revision = '${id}'\ndown_revision = ${down}\n\ndef upgrade():\n    pass\n`;

describe('alembic: discovery and order', () => {
  it('orders by the revision graph, not by file name, with merge points and depends_on a branch label', () => {
    const dir = project({
      'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = mysql+pymysql://u@localhost/app\n',
      'migrations/env.py': '',
      'migrations/versions/zzz_base.py': rev('base', 'None'),
      'migrations/versions/aaa_left.py': rev('left', "'base'"),
      'migrations/versions/bbb_right.py': `revision = 'right'\ndown_revision = 'base'\nbranch_labels = ('feature',)\n`,
      'migrations/versions/000_merge.py': rev('merge', "('left', 'right')"),
      'migrations/versions/001_after.py': `revision = 'after'\ndown_revision = None\ndepends_on = 'feature'\n`,
    });
    const found = detectIn(dir);
    expect(found?.errors).toEqual([]);
    const set = found?.sets[0];
    expect(set?.dialect).toBe('mysql');
    expect(set?.migrations.map((m) => m.id)).toEqual(['base', 'left', 'right', 'after', 'merge']);
    expect(set?.migrations[0]).toMatchObject({ path: 'migrations/versions/zzz_base.py', name: 'zzz_base', framework: 'alembic' });
  });

  it('a missing parent and a cycle are clear errors; the revisions are still analyzed', () => {
    const dir = project({
      'env.py': '',
      'versions/a.py': rev('a', "'ghost'"),
      'versions/b.py': rev('b', "'c'"),
      'versions/c.py': rev('c', "'b'"),
    });
    const found = detectIn(dir);
    expect(found?.sets[0]?.migrations.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(found?.errors.map((e) => `${e.path}:${e.line} ${e.message}`)).toEqual([
      'versions/a.py:2 revision a names ghost as its parent, but no revision file has that id',
      'versions/b.py:2 the revision graph has a cycle through b, c: these are analyzed last, in id order',
    ]);
    expect(found?.sets[0]?.dialect).toBe('postgresql');
  });

  it('reads the dialect from sqlalchemy.url', () => {
    expect(dialectOfUrl('postgresql+psycopg2://u@h/db')).toBe('postgresql');
    expect(dialectOfUrl('sqlite:///app.db')).toBe('sqlite');
    expect(dialectOfUrl('driver://user:pass@localhost/dbname')).toBeNull();
    expect(dialectOfUrl(undefined)).toBeNull();
  });
});

const repoRoot = join(import.meta.dirname, '../..');
const exampleVerdicts = async () => {
  const result = await check(['examples/alembic'], { cwd: repoRoot });
  return { result, reports: result.sets.flatMap((s) => s.reports) };
};

describe('examples/alembic', () => {
  it('is discovered as one Alembic set in revision-graph order, with every file read', async () => {
    const { result, reports } = await exampleVerdicts();
    expect(result.errors).toEqual([]);
    expect(result.sets.map((s) => [s.set.framework, s.set.dialect, s.set.root])).toEqual([
      ['alembic', 'postgresql', 'examples/alembic/migrations'],
    ]);
    expect(reports.map((r) => r.parsed.migration.id)).toEqual([
      'a1f0c2d3e4b5',
      'b2e1d3c4f5a6',
      'c3d2e4f5a6b7',
      '0a7b8c9d0e1f',
      'd4e3f5a6b7c8',
      'e5f4a6b7c8d9',
      'f6a5b7c8d9e0',
      '1b8c9d0e1f2a',
      '2c9d0e1f2a3b',
    ]);
    expect(reports.map((r) => r.parsed.downStatus)).toEqual([
      'written',
      'written',
      'none',
      'none',
      'written',
      'written',
      'written',
      'none',
      'irreversible',
    ]);
    const orders = reports.at(-1);
    // The loop over the FLAGS constant is unrolled: one column per flag, nothing left unread.
    expect(orders?.findings.filter((f) => f.rule === 'not-analyzed')).toEqual([]);
    expect(orders?.parsed.up.filter((o) => o.kind === 'AddColumn').map((o) => (o.kind === 'AddColumn' ? o.column.name : ''))).toEqual([
      'is_gift',
      'is_express',
    ]);
  });
});

describe('alembic: autocommit_block', () => {
  it('is the framework’s own way out of its transaction: no transaction finding, while a COMMIT written in op.execute gets one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-alembic-'));
    const head = (id: string, parent: string) =>
      `from alembic import op\nimport sqlalchemy as sa\n\nrevision = '${id}'\ndown_revision = ${parent}\n\n`;
    const files: Record<string, string> = {
      'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = postgresql://u@localhost/app\n',
      'migrations/env.py': '',
      'migrations/versions/a_create.py': `${head('a', 'None')}def upgrade():\n    op.create_table('t', sa.Column('id', sa.BigInteger, primary_key=True), sa.Column('n', sa.Text))\n`,
      'migrations/versions/b_index.py': `${head('b', "'a'")}def upgrade():\n    with op.get_context().autocommit_block():\n        op.create_index('ix_t_n', 't', ['n'], postgresql_concurrently=True)\n`,
      'migrations/versions/c_commit.py': `${head('c', "'b'")}def upgrade():\n    op.execute('COMMIT')\n    op.add_column('t', sa.Column('m', sa.Text))\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const result = await check([], { cwd: dir });
    expect(result.errors).toEqual([]);
    const transactionFindings = result.sets
      .flatMap((s) => s.reports)
      .map((r) => [r.parsed.migration.id, r.findings.filter((f) => f.rule.includes('transaction')).map((f) => f.rule)]);
    expect(transactionFindings).toEqual([
      ['a', []],
      ['b', []],
      ['c', ['transaction-nesting']],
    ]);
  });
});

const VERDICT_RULES = ['drop-column', 'rename-column', 'update-rows', 'down-renarrows-type'];

describe.skipIf(!VERDICT_RULES.every((id) => ruleById(id)))('verdicts (need all rules)', () => {
  it('examples/alembic covers every phase and dbRollback answer', async () => {
    const { reports } = await exampleVerdicts();
    expect(Object.fromEntries(reports.map((r) => [r.parsed.migration.name, [r.phase, r.codeRollback, r.dbRollback]]))).toEqual({
      create_accounts: ['expand', 'compatible', 'reversible'],
      add_nickname: ['expand', 'compatible', 'reversible'],
      backfill_nickname: ['data', 'compatible', 'irreversible'],
      audit_log: ['expand', 'compatible', 'no-down'],
      widen_email: ['expand', 'compatible', 'lossy'],
      rename_name_to_full_name: ['breaking', 'breaking', 'reversible'],
      drop_legacy_flag: ['contract', 'compatible', 'irreversible'],
      // A merge revision changes nothing: a two-way door without a downgrade.
      merge_audit: ['expand', 'compatible', 'reversible'],
      // A new table and columns on it; the downgrade raises, so there is no way back (nothing existing is destroyed).
      orders: ['expand', 'compatible', 'no-down'],
    });
  });
});

describe('alembic: current templates', () => {
  it('reads annotated revision variables and typed upgrade() signatures', () => {
    const dir = project({
      'env.py': '',
      'versions/1_a.py': `from typing import Sequence, Union\n\nrevision: str = "one"\ndown_revision: Union[str, None] = None\nbranch_labels: Union[str, Sequence[str], None] = None\n\n\ndef upgrade() -> None:\n    op.drop_column("users", "x")\n`,
      'versions/2_b.py': `revision: str = "two"\ndown_revision: Union[str, None] = "one"\n`,
    });
    const set = detectIn(dir)?.sets[0];
    expect(set?.migrations.map((m) => m.id)).toEqual(['one', 'two']);
    const first = set?.migrations[0];
    expect(first && alembic.parse(first).up).toMatchObject([
      { kind: 'DropColumn', column: 'x', span: { path: 'versions/1_a.py', line: 9 } },
    ]);
  });
});

describe('alembic: what the framework itself refuses or does', () => {
  const head = (id: string, parent: string) =>
    `from alembic import op\nimport sqlalchemy as sa\n\nrevision = '${id}'\ndown_revision = ${parent}\n\n`;
  const checkProject = async (versions: Record<string, string>) => {
    const files: Record<string, string> = {
      'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = postgresql://u@localhost/app\n',
      'migrations/env.py': '',
    };
    for (const [name, text] of Object.entries(versions)) files[`migrations/versions/${name}`] = text;
    const result = await check([], { cwd: project(files) });
    const reports = result.sets.flatMap((s) => s.reports);
    return { result, reports, verdict: (id: string) => reports.find((r) => r.parsed.migration.id === id) };
  };

  it('a Python syntax error is a read error at its line with the parser message, and the answers it hides are unknown', async () => {
    const { result, verdict } = await checkProject({
      'a_accounts.py': `${head('a', 'None')}def upgrade():\n    op.create_table('accounts', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('email', sa.Text()))\n`,
      'b_broken.py': `${head('b', "'a'")}def upgrade():\n    op.drop_column("accounts", "email"\n\n\ndef downgrade():\n    pass\n`,
    });
    expect(result.errors).toEqual([
      { path: 'migrations/versions/b_broken.py', line: 8, column: 19, message: "Python syntax error: '(' was never closed" },
    ]);
    expect(verdict('b')).toMatchObject({ phase: 'unknown', codeRollback: 'unknown', dbRollback: 'unknown' });
  });

  it('a revision whose id cannot be read because of a syntax error says so instead of "not a revision"', () => {
    const dir = project({ 'env.py': '', 'versions/x.py': `revision = ("abc"\ndown_revision = None\n` });
    expect(detectIn(dir)?.errors.map((e) => [e.path, e.line, e.message])).toEqual([
      ['versions/x.py', 1, "Python syntax error: '(' was never closed: the revision id cannot be read, the file is skipped"],
    ]);
  });

  it('two revisions with one id are an error naming both files; the one Alembic keeps (loaded last) is analyzed', () => {
    const dir = project({ 'env.py': '', 'versions/1_first.py': rev('abc', 'None'), 'versions/2_second.py': rev('abc', 'None') });
    const found = detectIn(dir);
    expect(found?.sets[0]?.migrations.map((m) => m.path)).toEqual(['versions/2_second.py']);
    expect(found?.errors).toHaveLength(1);
    expect(found?.errors[0]?.message).toContain('in 1_first.py and 2_second.py');
    expect(found?.errors[0]?.path).toBe('versions/2_second.py');
  });

  it("op.drop_constraint(None, ...) in the downgrade fails there: an error-level rollback finding, the down's answer lossy", async () => {
    const { verdict } = await checkProject({
      'a_t.py': `${head('a', 'None')}def upgrade():\n    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))\n\ndef downgrade():\n    op.drop_table('t')\n`,
      'b_fk.py': `${head('b', "'a'")}def upgrade():\n    op.add_column('t', sa.Column('parent_id', sa.Integer(), nullable=True))\n    op.create_foreign_key(None, 't', 't', ['parent_id'], ['id'])\n\ndef downgrade():\n    op.drop_constraint(None, 't', type_='foreignkey')\n    op.drop_column('t', 'parent_id')\n`,
    });
    const b = verdict('b');
    expect(b?.dbRollback).toBe('lossy');
    const finding = b?.findings.find((f) => f.rule === 'down-references-missing');
    expect(finding).toMatchObject({ severity: 'error', line: 12, category: 'rollback' });
    expect(finding?.message).toContain('Alembic needs the constraint');
  });

  it('op.drop_constraint(None, ...) in the upgrade cannot run: not analyzed at its line', () => {
    const p = revision(`def upgrade():\n    op.drop_constraint(None, 't', type_='unique')\n`);
    expect(p.up).toMatchObject([{ kind: 'Raw', notAnalyzed: expect.stringContaining('cannot run'), span: { line: HEADER_LINES + 2 } }]);
  });

  it.each([
    ['existing_type says the column was varchar(50): text is a widening', 'existing_type=sa.String(50)', 'expand'],
    ['without existing_type the old type is unknown: it may narrow', '', 'breaking'],
  ])('%s', async (_case, existing, phase) => {
    const { verdict } = await checkProject({
      'a_alter.py': `${head('a', 'None')}def upgrade():\n    op.alter_column('legacy', 'email', type_=sa.Text()${existing ? `, ${existing}` : ''})\n\ndef downgrade():\n    op.alter_column('legacy', 'email', type_=sa.String(50))\n`,
    });
    expect(verdict('a')?.phase).toBe(phase);
  });

  it.each([
    [
      'existing_nullable=False and existing_server_default: old INSERTs relied on the default',
      ", existing_nullable=False, existing_server_default=sa.text('false')",
      'breaking',
    ],
    ['without them the column may be nullable and without a default: nothing breaks that is known', '', 'expand'],
  ])('dropping the server default of a column the history never saw, %s', async (_case, existing, phase) => {
    const { verdict } = await checkProject({
      'a_alter.py': `${head('a', 'None')}def upgrade():\n    op.alter_column('legacy', 'flag', server_default=None${existing})\n\ndef downgrade():\n    op.alter_column('legacy', 'flag', server_default=sa.text('false'))\n`,
    });
    expect(verdict('a')?.phase).toBe(phase);
  });

  it('an upgrade that is pass with a downgrade that is pass changes nothing: a two-way door', async () => {
    const { verdict } = await checkProject({
      'a_noop.py': `${head('a', 'None')}def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n`,
    });
    expect(verdict('a')).toMatchObject({ phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' });
  });

  it('runs every revision in a transaction (env.py begin_transaction): CREATE INDEX CONCURRENTLY needs autocommit_block', async () => {
    const { verdict } = await checkProject({
      'a_t.py': `${head('a', 'None')}def upgrade():\n    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Text()))\n`,
      'b_index.py': `${head('b', "'a'")}def upgrade():\n    op.create_index('ix_t_n', 't', ['n'], postgresql_concurrently=True)\n`,
    });
    expect(verdict('b')?.findings.map((f) => f.rule)).toContain('concurrently-in-transaction');
  });
});
