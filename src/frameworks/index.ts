// Every framework adapter, in the order discovery asks them (most specific layouts first).
import type { Framework } from '../migration.js';
import type { FrameworkAdapter } from './adapter.js';
import { alembic } from './alembic.js';
import { django } from './django.js';
import { golangMigrate } from './golang-migrate.js';

export const adapters: FrameworkAdapter[] = [golangMigrate, alembic, django];

/** Loads every adapter's parser (tree-sitter grammars) once, before discovery reads any DSL file. */
export async function loadAdapters(): Promise<void> {
  await Promise.all(adapters.map((a) => a.load?.()));
}

export function adapterFor(framework: Framework): FrameworkAdapter {
  const adapter = adapters.find((a) => a.framework === framework);
  if (!adapter) throw new Error(`no adapter for ${framework}`);
  return adapter;
}
