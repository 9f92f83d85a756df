import { describe, expect, it } from 'vitest';
import { compareVersions, parseFlywayName } from './flyway.js';
import { checkTree, discoverTree } from './testing.js';

const ids = (d: ReturnType<typeof discoverTree>) => d.sets.flatMap((s) => s.migrations.map((m) => m.id));

describe('flyway file names', () => {
  it.each([
    ['V1__init.sql', { kind: 'versioned', version: [1n], description: 'init' }],
    ['V1.1__add_orders.sql', { kind: 'versioned', version: [1n, 1n], description: 'add_orders' }],
    ['V1_2__underscore_is_a_dot.sql', { kind: 'versioned', version: [1n, 2n], description: 'underscore_is_a_dot' }],
    ['U3__drop_x.sql', { kind: 'undo', version: [3n], description: 'drop_x' }],
    ['R__users_view.sql', { kind: 'repeatable', description: 'users_view' }],
  ])('%s', (file, expected) => {
    expect(parseFlywayName(file)).toMatchObject(expected);
  });

  it.each(['V1_init.sql', 'Vx__init.sql', 'init.sql', 'V1__init.txt', 'R1__x.sql'])('%s is not a Flyway migration', (file) => {
    expect(parseFlywayName(file)).toBeNull();
  });

  it('orders versions part by part: 1.10 after 1.9, 1 equals 1.0', () => {
    expect(compareVersions([1n, 10n], [1n, 9n])).toBe(1);
    expect(compareVersions([1n], [1n, 0n])).toBe(0);
    expect(compareVersions([2n], [10n])).toBe(-1);
  });
});

describe('flyway discovery', () => {
  it('applies versioned migrations in version order, then repeatables by description', () => {
    const d = discoverTree({
      'db/migration/V10__ten.sql': 'SELECT 1;',
      'db/migration/V1_10__one_ten.sql': 'SELECT 1;',
      'db/migration/V1.9__one_nine.sql': 'SELECT 1;',
      'db/migration/V2__two.sql': 'SELECT 1;',
      'db/migration/R__b_view.sql': 'SELECT 1;',
      'db/migration/R__a_view.sql': 'SELECT 1;',
    });
    expect(d.errors).toEqual([]);
    expect(ids(d)).toEqual(['V1.9__one_nine', 'V1_10__one_ten', 'V2__two', 'V10__ten', 'R__a_view', 'R__b_view']);
    expect(d.sets[0]?.framework).toBe('flyway');
  });

  it('pairs U files with their version as the down; without any U file downs are unsupported', () => {
    const withUndo = discoverTree({ 'sql/V1__a.sql': 'SELECT 1;', 'sql/V2__b.sql': 'SELECT 1;', 'sql/U2__b.sql': 'SELECT 2;' });
    const [v1, v2] = withUndo.sets[0]?.migrations ?? [];
    expect(v1?.down).toBeNull();
    expect(v2?.down?.path).toBe('sql/U2__b.sql');
    expect(v2?.files).toEqual(['sql/V2__b.sql', 'sql/U2__b.sql']);
    expect(v2?.downsUnsupported).toBe(false);
    const withoutUndo = discoverTree({ 'sql/V1__a.sql': 'SELECT 1;' });
    expect(withoutUndo.sets[0]?.migrations[0]?.downsUnsupported).toBe(true);
  });

  it('reads locations and the dialect from flyway.conf', () => {
    const d = discoverTree({
      'flyway.conf': 'flyway.url=jdbc:mysql://localhost/shop\nflyway.locations=filesystem:schema,filesystem:more\n',
      'schema/V1__a.sql': 'SELECT 1;',
      'more/V2__b.sql': 'SELECT 1;',
    });
    expect(d.sets).toHaveLength(1);
    expect(d.sets[0]?.dialect).toBe('mysql');
    expect(d.sets[0]?.migrations.map((m) => m.path)).toEqual(['schema/V1__a.sql', 'more/V2__b.sql']);
  });

  it('reads locations and the environment url from flyway.toml', () => {
    const d = discoverTree({
      'flyway.toml': '[environments.default]\nurl = "jdbc:postgresql://localhost/shop"\n\n[flyway]\nlocations = ["filesystem:db/sql"]\n',
      'db/sql/V1__a.sql': 'SELECT 1;',
    });
    expect(d.sets[0]?.dialect).toBe('postgresql');
    expect(d.sets[0]?.migrations.map((m) => m.path)).toEqual(['db/sql/V1__a.sql']);
  });

  it('reports an unreadable flyway.toml with its line', () => {
    const d = discoverTree({ 'flyway.toml': '[flyway\nlocations = 1\n', 'db/migration/V1__a.sql': 'SELECT 1;' });
    expect(d.errors[0]).toMatchObject({ path: 'flyway.toml', line: 1 });
    expect(d.errors[0]?.message).toContain('invalid TOML');
    expect(ids(d)).toEqual(['V1__a']);
  });

  it('runs a script outside a transaction when its .conf says executeInTransaction=false', () => {
    const d = discoverTree({
      'sql/V1__a.sql': 'SELECT 1;',
      'sql/V2__b.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);',
      'sql/V2__b.sql.conf': 'executeInTransaction=false\n',
    });
    expect(d.sets[0]?.migrations.map((m) => m.transactional)).toEqual([true, false]);
  });

  it('reports callbacks, duplicate versions and stray .sql files instead of skipping them silently', () => {
    const d = discoverTree({
      'sql/V1__a.sql': 'SELECT 1;',
      'sql/V1.0__again.sql': 'SELECT 1;',
      'sql/afterMigrate.sql': 'SELECT 1;',
      'sql/notes.sql': 'SELECT 1;',
    });
    expect(ids(d)).toEqual(['V1.0__again']);
    expect(d.errors.map((e) => e.path).sort()).toEqual(['sql/V1__a.sql', 'sql/afterMigrate.sql', 'sql/notes.sql']);
  });
});

describe('flyway locations', () => {
  it('scans a location recursively, as Flyway does, in one set', () => {
    const d = discoverTree({
      'src/main/resources/db/migration/2023/V1__a.sql': 'SELECT 1;',
      'src/main/resources/db/migration/2024/V2__b.sql': 'SELECT 1;',
      'other/V1__x.sql': 'SELECT 1;',
      'other/archive/V2__y.sql': 'SELECT 1;',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets.map((s) => [s.root, s.migrations.map((m) => m.path)])).toEqual([
      ['other', ['other/V1__x.sql', 'other/archive/V2__y.sql']],
      [
        'src/main/resources/db/migration',
        ['src/main/resources/db/migration/2023/V1__a.sql', 'src/main/resources/db/migration/2024/V2__b.sql'],
      ],
    ]);
  });
});

describe('flyway transactions, as its PostgreSQL parser decides them', () => {
  const users = { 'db/migration/V1__users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);' };
  const rulesOf = (r: Awaited<ReturnType<typeof checkTree>>['reports'][number] | undefined) =>
    (r?.findings ?? []).filter((f) => f.category === 'locking' && f.rule.includes('transaction')).map((f) => `${f.rule}:${f.line}`);

  it.each<{ name: string; files: Record<string, string>; transactional: boolean; findings: string[] }>([
    {
      name: 'a lone CREATE INDEX CONCURRENTLY runs outside a transaction: not concurrently-in-transaction',
      files: { 'db/migration/V2__index.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);' },
      transactional: false,
      findings: [],
    },
    {
      name: 'DROP INDEX CONCURRENTLY and VACUUM are non-transactional too',
      files: { 'db/migration/V2__index.sql': 'DROP INDEX CONCURRENTLY IF EXISTS users_email;\nVACUUM users;' },
      transactional: false,
      findings: [],
    },
    {
      name: 'a mix without mixed=true is refused at the statement that completes it',
      files: { 'db/migration/V2__index.sql': 'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY users_a ON users (a);' },
      transactional: false,
      findings: ['mixed-transaction-statements:2'],
    },
    {
      name: 'flyway.conf mixed=true lets the mix run, outside a transaction',
      files: {
        'flyway.conf': 'flyway.locations=filesystem:db/migration\nflyway.mixed=true\n',
        'db/migration/V2__index.sql': 'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY users_a ON users (a);',
      },
      transactional: false,
      findings: [],
    },
    {
      name: 'flyway.toml [flyway] mixed = true',
      files: {
        'flyway.toml': '[flyway]\nlocations = ["filesystem:db/migration"]\nmixed = true\n',
        'db/migration/V2__index.sql': 'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY users_a ON users (a);',
      },
      transactional: false,
      findings: [],
    },
    {
      name: 'executeInTransaction=true in the script config: Flyway skips its check and PostgreSQL refuses the statement',
      files: {
        'db/migration/V2__index.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
        'db/migration/V2__index.sql.conf': 'executeInTransaction=true\n',
      },
      transactional: true,
      findings: ['concurrently-in-transaction:1'],
    },
    {
      name: 'REINDEX TABLE CONCURRENTLY is not in Flyway’s list: it runs in the transaction and fails',
      files: { 'db/migration/V2__reindex.sql': 'REINDEX TABLE CONCURRENTLY users;' },
      transactional: true,
      findings: ['concurrently-in-transaction:1'],
    },
  ])('$name', async ({ files, transactional, findings }) => {
    const result = await checkTree({ ...users, ...files });
    const v2 = result.reports.find((r) => r.parsed.migration.id.startsWith('V2'));
    expect(v2?.parsed.migration.transactional).toBe(transactional);
    expect(rulesOf(v2)).toEqual(findings);
  });

  it('reads spring.flyway.mixed from a Spring Boot application.yml', async () => {
    const result = await checkTree({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    mixed: true\n',
      'src/main/resources/db/migration/V1__users.sql': users['db/migration/V1__users.sql'],
      'src/main/resources/db/migration/V2__index.sql':
        'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY users_a ON users (a);',
    });
    expect(result.reports.flatMap((r) => r.findings).filter((f) => f.rule === 'mixed-transaction-statements')).toEqual([]);
  });

  it('decides the undo script on its own statements', async () => {
    const result = await checkTree({
      ...users,
      'db/migration/V2__index.sql': 'CREATE INDEX users_email ON users (email);',
      'db/migration/U2__index.sql': 'DROP INDEX CONCURRENTLY users_email;',
    });
    const v2 = result.reports.find((r) => r.parsed.migration.id === 'V2__index')?.parsed.migration;
    expect([v2?.transactional, v2?.downTransactional]).toEqual([true, false]);
  });
});
