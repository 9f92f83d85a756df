// The DSL framework adapters (Ruby, Python, JS readers) are imported only when a folder may hold one of their sets
// (frameworks/index.ts): each registers itself here when its module is evaluated, so whoever imported it (a
// lazy loader, the library entry, a test) makes it the adapter discovery asks.
import type { Framework } from '../migration.js';
import type { FrameworkAdapter } from './adapter.js';

const registered = new Map<Framework, FrameworkAdapter>();

export function registerAdapter<T extends FrameworkAdapter>(adapter: T): T {
  registered.set(adapter.framework, adapter);
  return adapter;
}

/** The adapter of a framework whose module has been imported, else undefined. */
export function registeredAdapter(framework: Framework): FrameworkAdapter | undefined {
  return registered.get(framework);
}
