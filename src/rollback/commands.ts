// The commands that run the downs, in each framework's own CLI, newest first.
import type { Migration } from '../migration.js';

/**
 * `downs` are the migrations to undo, newest first; `history` is the set in applying order (for targets
 * such as Alembic's revision before the oldest undone). One command per line.
 */
export function downCommands(downs: readonly Migration[], history: readonly Migration[], root: string): string[] {
  if (!downs.length) return [];
  const first = downs[0] as Migration;
  const oldest = downs.at(-1) as Migration;
  const before = (m: Migration, same: (x: Migration) => boolean = () => true) => {
    const earlier = history.slice(0, history.indexOf(m)).filter(same);
    return earlier.at(-1);
  };
  const file = (m: Migration) => m.path.split('/').at(-1) as string;
  switch (first.framework) {
    case 'rails':
      return downs.map((m) => `bin/rails db:migrate:down VERSION=${m.id}`);
    case 'alembic':
      return [`alembic downgrade ${before(oldest)?.id ?? 'base'}`];
    case 'django': {
      // One command per app: back to the migration before the oldest undone of that app.
      const apps = new Map<string, Migration>();
      for (const m of downs) apps.set(m.id.split('.')[0] as string, m);
      return [...apps].map(([app, m]) => {
        const prev = before(m, (x) => x.id.startsWith(`${app}.`));
        return `python manage.py migrate ${app} ${prev ? prev.id.slice(app.length + 1) : 'zero'}`;
      });
    }
    case 'flyway':
      // `flyway undo` runs the U scripts only in Flyway Teams/Enterprise; Community has no undo command, and its way
      // back is a new versioned migration holding the inverse, applied by `flyway migrate` (a shell comment says so).
      return [
        `# flyway undo needs Flyway Teams or Enterprise. On Community: copy ${downs
          .map((m) => m.down?.path ?? `the undo of ${m.id}`)
          .join(', ')} into a new versioned migration (V<next>__revert.sql) and run flyway migrate`,
        ...downs.map(() => 'flyway undo'),
      ];
    case 'golang-migrate':
      return [`migrate -path ${root} -database "$DATABASE_URL" down ${downs.length}`];
    case 'dbmate':
      return downs.map(() => 'dbmate rollback');
    case 'goose': {
      const prev = before(oldest);
      return [`goose -dir ${root} <driver> "$DATABASE_URL" down-to ${prev ? Number(prev.id) : 0}`];
    }
    case 'diesel':
      return downs.map(() => 'diesel migration revert');
    case 'knex':
      // knex takes the file to undo as an argument (`knex migrate:down 20240101_a.js`), not as --name.
      return downs.map((m) => `npx knex migrate:down ${file(m)}`);
    case 'sequelize':
      return downs.map((m) => `npx sequelize-cli db:migrate:undo --name ${file(m)}`);
    case 'typeorm':
      return downs.map(() => 'npx typeorm migration:revert -d <data-source>');
    case 'node-pg-migrate':
      return [`npx node-pg-migrate down ${downs.length}`];
    case 'prisma':
      return [];
    default:
      // Plain SQL: the down files, by hand.
      return downs.flatMap((m) =>
        m.down
          ? [m.dialect === 'mysql' ? `mysql <database> < ${m.down.path}` : `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f ${m.down.path}`]
          : [],
      );
  }
}
