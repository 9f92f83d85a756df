// The real corpus (public projects' PostgreSQL migrations): every .sql file must end up in the report, as a file of
// a migration or as an error line, without a crash, and fewer than 1% of the files may fail to parse.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CheckResult, check } from '../src/check.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = [resolve(repoRoot, '../shared/corpus/pg'), '/work/shared/corpus/pg'].find((p) => existsSync(p));

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sqlFiles(path);
    return e.isFile() && e.name.endsWith('.sql') ? [path] : [];
  });
}

describe.skipIf(!corpus)(
  `PostgreSQL corpus${corpus ? '' : ' (skipped: no corpus at ../shared/corpus/pg or /work/shared/corpus/pg)'}`,
  () => {
    const root = corpus as string;
    let projects: string[] = [];
    let files: string[] = [];
    let result: CheckResult;

    beforeAll(async () => {
      projects = readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
      files = sqlFiles(root).map((f) => relative(root, f));
      result = await check(projects, { cwd: root });
    }, 300_000);

    it('finds a migration set in every project', () => {
      const roots = result.sets.map((s) => s.set.root);
      for (const project of projects) expect(roots.some((r) => r.startsWith(`${project}/`))).toBe(true);
    });

    it('puts every .sql file in the report, as part of a migration or as an error', () => {
      const reported = new Set([
        ...result.sets.flatMap((s) => s.reports.flatMap((r) => r.parsed.migration.files)),
        ...result.errors.map((e) => e.path),
      ]);
      expect(files.filter((f) => !reported.has(f))).toEqual([]);
    });

    it('fails to parse fewer than 1% of the files', () => {
      const unparsed = new Set(result.errors.filter((e) => e.message.startsWith('PostgreSQL syntax')).map((e) => e.path));
      expect(unparsed.size / files.length).toBeLessThan(0.01);
    });
  },
);
