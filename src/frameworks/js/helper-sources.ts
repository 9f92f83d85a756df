// The JS/TS frameworks, and the files of their migration folders that a migration may import (helpers, and
// migrations exporting a helper), by path relative to the working directory. Kept apart from the interpreter so
// the check cache can key on them without loading a parser: a migration's answers change when a file it imports does.
import type { Framework, SourceText } from '../../migration.js';

export type JsFramework = Extract<Framework, 'knex' | 'node-pg-migrate' | 'typeorm' | 'sequelize'>;
/** The frameworks whose migrations are JS/TS modules, in the order the adapters are asked in: the last one present in a folder claims it. */
export const JS_FRAMEWORKS: readonly JsFramework[] = ['knex', 'node-pg-migrate', 'typeorm', 'sequelize'];

const sources = new Map<string, SourceText>();

export function registerHelperSource(source: SourceText): void {
  sources.set(source.path, source);
}

export function helperSource(path: string): SourceText | undefined {
  return sources.get(path);
}

/** Every registered file, in a stable order. */
export function helperSources(): SourceText[] {
  return [...sources.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
