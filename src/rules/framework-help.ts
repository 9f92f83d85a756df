// Advice in the migration's own framework's terms: how to run a statement outside a transaction there.
// (timeout-setting.ts does the same for lock_timeout / statement_timeout.)
import type { Framework } from '../migration.js';
import type { RuleContext } from './rule.js';

/** Alembic's function for the direction the finding is in. */
export function alembicFunction(ctx: Partial<Pick<RuleContext, 'direction'>>): string {
  return ctx.direction === 'down' ? 'downgrade()' : 'upgrade()';
}

/**
 * " (<the framework's way>)" for the migration's own framework, or nothing: a hint in another framework's
 * terms (Rails' ignored_columns in an Alembic migration) helps nobody (issue 10).
 */
export function inFramework(ctx: Pick<RuleContext, 'migration'>, hints: Partial<Record<Framework, string>>): string {
  const hint = hints[ctx.migration.framework];
  return hint ? ` (${hint})` : '';
}

/** "run it in a migration of its own without a transaction (<how, in this framework>)". */
export function withoutTransaction(ctx: Pick<RuleContext, 'migration'> & Partial<Pick<RuleContext, 'direction'>>): string {
  switch (ctx.migration.framework) {
    case 'rails':
      return 'run it in a migration of its own with disable_ddl_transaction! in the class';
    case 'django':
      return 'run it in a migration of its own with atomic = False on the Migration class';
    case 'alembic':
      return `run it inside \`with op.get_context().autocommit_block():\` in ${alembicFunction(ctx)}`;
    case 'knex':
      return 'run it in a migration of its own that exports config = { transaction: false }';
    case 'typeorm':
      return 'run it in a migration of its own with `transaction = false` on the class (migrationsTransactionMode "each")';
    case 'sequelize':
      return 'run it in a migration of its own, not inside queryInterface.sequelize.transaction() (sequelize-cli opens none itself)';
    case 'node-pg-migrate':
      return 'run it in a migration of its own that calls pgm.noTransaction() first';
    case 'dbmate':
      return 'run it in a migration of its own whose section header says `-- migrate:up transaction:false`';
    case 'goose':
      return 'run it in a migration of its own that starts with `-- +goose NO TRANSACTION`';
    case 'diesel':
      return 'run it in a migration of its own with `run_in_transaction = false` in its metadata.toml';
    case 'flyway':
      return 'run it in a script of its own with a .sql.conf holding executeInTransaction=false';
    case 'golang-migrate':
      return 'put the statement alone in its own migration file (golang-migrate runs a multi-statement file as one transaction)';
    case 'prisma':
      return 'put the statement alone in its own migration.sql (Prisma sends the file as one query, which PostgreSQL runs as one transaction when it holds several statements)';
    default:
      return 'run it in a migration of its own, with no BEGIN/COMMIT around it';
  }
}

/** The same, as a sentence's start. */
export function capitalized(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}
