// The commands `rollback` prints, each in its framework's CLI as that CLI's documentation spells it.
import { describe, expect, it } from 'vitest';
import type { Framework, Migration } from '../migration.js';
import { downCommands } from './commands.js';

/** A set in applying order: [id, path, has a down]. */
const set = (framework: Framework, rows: Array<[string, string]>, dialect: Migration['dialect'] = 'postgresql'): Migration[] =>
  rows.map(([id, path]) => ({
    id,
    name: id,
    framework,
    dialect,
    path,
    files: [path],
    up: { path, text: '', startLine: 1, language: 'sql' },
    down: { path: path.replace('.up.', '.down.'), text: '', startLine: 1, language: 'sql' },
    transactional: true,
  }));

/** The commands undoing the last `n` of `history`. */
const undo = (history: Migration[], n: number, root = 'db') => downCommands(history.slice(-n).reverse(), history, root);

describe('downCommands', () => {
  it('one command per migration where the CLI undoes one at a time or by name', () => {
    const rails = set('rails', [
      ['20240101000000', 'db/migrate/20240101000000_a.rb'],
      ['20240201000000', 'db/migrate/20240201000000_b.rb'],
      ['20240301000000', 'db/migrate/20240301000000_c.rb'],
    ]);
    expect(undo(rails, 2)).toEqual([
      'bin/rails db:migrate:down VERSION=20240301000000',
      'bin/rails db:migrate:down VERSION=20240201000000',
    ]);
    const knex = set('knex', [
      ['20240101', 'migrations/20240101_a.js'],
      ['20240102', 'migrations/20240102_b.js'],
    ]);
    expect(undo(knex, 2)).toEqual(['npx knex migrate:down 20240102_b.js', 'npx knex migrate:down 20240101_a.js']);
    const sequelize = set('sequelize', [['20240105', 'migrations/20240105-create-users.js']]);
    expect(undo(sequelize, 1)).toEqual(['npx sequelize-cli db:migrate:undo --name 20240105-create-users.js']);
    expect(
      undo(
        set('typeorm', [
          ['1', 'src/migrations/1-A.ts'],
          ['2', 'src/migrations/2-B.ts'],
        ]),
        2,
      ),
    ).toEqual(['npx typeorm migration:revert -d <data-source>', 'npx typeorm migration:revert -d <data-source>']);
    expect(
      undo(
        set('flyway', [
          ['V1__a', 'sql/V1__a.sql'],
          ['V2__b', 'sql/V2__b.sql'],
        ]),
        1,
      ),
    ).toEqual([
      '# flyway undo needs Flyway Teams or Enterprise. On Community: copy sql/V2__b.sql into a new versioned migration (V<next>__revert.sql) and run flyway migrate',
      'flyway undo',
    ]);
    expect(
      undo(
        set('dbmate', [
          ['1', 'db/migrations/1_a.sql'],
          ['2', 'db/migrations/2_b.sql'],
        ]),
        2,
      ),
    ).toEqual(['dbmate rollback', 'dbmate rollback']);
    expect(undo(set('diesel', [['20240301000000', 'migrations/2024-03-01-000000_a/up.sql']]), 1)).toEqual(['diesel migration revert']);
  });

  it('one command back to the migration before the oldest undone where the CLI takes a target or a count', () => {
    const alembic = set('alembic', [
      ['a1', 'v/a1.py'],
      ['b2', 'v/b2.py'],
      ['c3', 'v/c3.py'],
    ]);
    expect(undo(alembic, 2)).toEqual(['alembic downgrade a1']);
    expect(undo(alembic, 3)).toEqual(['alembic downgrade base']);
    const django = [
      ...set('django', [
        ['shop.0041_x', 'shop/migrations/0041_x.py'],
        ['auth.0001_initial', 'auth/migrations/0001_initial.py'],
      ]),
      ...set('django', [
        ['shop.0042_y', 'shop/migrations/0042_y.py'],
        ['shop.0043_z', 'shop/migrations/0043_z.py'],
      ]),
    ];
    expect(undo(django, 3)).toEqual(['python manage.py migrate shop 0041_x', 'python manage.py migrate auth zero']);
    const goose = set('goose', [
      ['00001', 'm/00001_a.sql'],
      ['00002', 'm/00002_b.sql'],
      ['00003', 'm/00003_c.sql'],
    ]);
    expect(undo(goose, 2, 'm')).toEqual(['goose -dir m <driver> "$DATABASE_URL" down-to 1']);
    const gm = set('golang-migrate', [
      ['000001', 'db/000001_a.up.sql'],
      ['000002', 'db/000002_b.up.sql'],
    ]);
    expect(undo(gm, 2)).toEqual(['migrate -path db -database "$DATABASE_URL" down 2']);
    const npm = set('node-pg-migrate', [
      ['1', 'migrations/1_a.js'],
      ['2', 'migrations/2_b.js'],
    ]);
    expect(undo(npm, 2)).toEqual(['npx node-pg-migrate down 2']);
  });

  it('Prisma Migrate has no down command; plain SQL downs are run by hand', () => {
    expect(undo(set('prisma', [['20240201000000_init', 'prisma/migrations/20240201000000_init/migration.sql']]), 1)).toEqual([]);
    const plain = set('sql', [['1', 'db/1_a.up.sql']], 'mysql');
    expect(undo(plain, 1)).toEqual(['mysql <database> < db/1_a.down.sql']);
  });
});
