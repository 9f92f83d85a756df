// Every framework adapter, in the order discovery asks them (most specific layouts first).
import type { Framework } from '../migration.js';
import type { FrameworkAdapter } from './adapter.js';
import { golangMigrate } from './golang-migrate.js';
import { rails } from './rails.js';

export const adapters: FrameworkAdapter[] = [golangMigrate, rails];

export function adapterFor(framework: Framework): FrameworkAdapter {
  const adapter = adapters.find((a) => a.framework === framework);
  if (!adapter) throw new Error(`no adapter for ${framework}`);
  return adapter;
}
