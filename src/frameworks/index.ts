// Every framework adapter, in the order discovery asks them (most specific layouts first).
import type { Framework } from '../migration.js';
import type { FrameworkAdapter } from './adapter.js';
import { golangMigrate } from './golang-migrate.js';
import { knex } from './knex.js';
import { nodePgMigrate } from './node-pg-migrate.js';
import { sequelize } from './sequelize.js';
import { typeorm } from './typeorm.js';

export const adapters: FrameworkAdapter[] = [golangMigrate, knex, nodePgMigrate, typeorm, sequelize];

export function adapterFor(framework: Framework): FrameworkAdapter {
  const adapter = adapters.find((a) => a.framework === framework);
  if (!adapter) throw new Error(`no adapter for ${framework}`);
  return adapter;
}
