import { help } from '../help.js';
import { changesNothing, hasDown } from '../judge/judge.js';
import { inFramework } from './framework-help.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'missing-down',
  category: 'rollback',
  severity: 'info',
  summary: 'The migration has no down (or an empty one) although its framework supports downs.',
  direction: 'down',
  kinds: [],
  docs: `
Without a down, the only way back from a bad deploy is a forward fix written under pressure or a
restore from backup. For frameworks that support downs (golang-migrate \`.down.sql\`, Flyway \`U\`
undo scripts, dbmate \`-- migrate:down\`, goose \`-- +goose Down\`, Alembic \`downgrade()\`, Rails
\`down\`, Knex \`exports.down\`…), a missing or empty down is usually an oversight; the migration's
\`dbRollback\` verdict is \`no-down\`.

Do instead: write the down that undoes the up (and only the up), or declare that there is none on
purpose: Rails \`raise ActiveRecord::IrreversibleMigration\`, Alembic \`raise NotImplementedError\`
in \`downgrade()\`. An intentionally absent down is reported by the verdict, not by this rule.

Frameworks without downs (Prisma Migrate; Flyway without undo scripts) never get this finding.`,
  checkMigration(ctx) {
    const { parsed, migration } = ctx;
    if (migration.downsUnsupported || parsed.downStatus === 'irreversible' || hasDown(parsed)) return [];
    // An up that changes nothing (Alembic's `pass`, a merge revision) has nothing to undo.
    if (changesNothing(parsed)) return [];
    const empty = parsed.downStatus !== 'none';
    // An empty down file is pointed at itself; a missing one at the up.
    const where = empty && migration.down ? migration.down : migration.up;
    const line = where.startLine;
    return [
      {
        message: empty
          ? `The down of ${migration.id} is empty: rolling back does nothing and leaves the up's changes in place.`
          : `${migration.id} has no down: rolling it back needs a forward fix or a restore.`,
        fix:
          migration.framework === 'golang-migrate'
            ? help`Write ${migration.path.replace(/\.up\.sql$/, '.down.sql')} with the statements that undo the up, in reverse order.`
            : help`Write a down that undoes the up statement by statement in reverse order${inFramework(
                { migration },
                {
                  rails:
                    'Rails: a down method or reversible blocks; raise ActiveRecord::IrreversibleMigration where it cannot be undone on purpose',
                  alembic: 'Alembic: the body of downgrade()',
                  knex: 'Knex: exports.down',
                  typeorm: 'TypeORM: the down(queryRunner) method',
                  sequelize: 'Sequelize: the down function',
                },
              )}, or declare it irreversible on purpose.`,
        span: { path: where.path, line, column: 1, endLine: line, endColumn: 1 },
      },
    ];
  },
});
