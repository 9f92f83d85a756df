// The real corpus in every dialect (mysql/, sqlite/, and the SQL inside apps/, each set read in the dialect
// discovery chose for it): fewer than 1% of the SQL statements may be unreadable, per dialect.
// `npm run sql-coverage` prints the same counts per project.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { Dialect } from '../src/ir.js';
import { observeSqlParsing } from '../src/sql/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = [resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));
const KINDS = ['mysql', 'sqlite', 'apps'];

describe.skipIf(!corpus)(`unreadable statements per dialect${corpus ? '' : ' (skipped: no ../shared/corpus)'}`, () => {
  const tally = new Map<Dialect, { statements: number; unreadable: string[] }>();

  beforeAll(async () => {
    const root = corpus as string;
    for (const kind of KINDS.filter((k) => existsSync(join(root, k)))) {
      for (const project of readdirSync(join(root, kind)).sort()) {
        const seen = new Set<string>();
        observeSqlParsing((dialect, source, parsed) => {
          const key = `${source.path}:${source.startLine}:${source.startColumn ?? 1}`;
          if (seen.has(key)) return;
          seen.add(key);
          const t = tally.get(dialect) ?? { statements: 0, unreadable: [] };
          t.statements += parsed.statements;
          for (const op of parsed.ops)
            if (op.kind === 'Raw' && op.statement === 'unparsed') t.unreadable.push(`${kind}/${project}/${op.span.path}:${op.span.line}`);
          tally.set(dialect, t);
        });
        await check(['.'], { cwd: join(root, kind, project) });
        observeSqlParsing(null);
      }
    }
  }, 300_000);

  it.each(['mysql', 'sqlite', 'postgresql'] as const)('%s: fewer than 1%% of the statements are unreadable', (dialect) => {
    const t = tally.get(dialect);
    expect(t?.statements).toBeGreaterThan(100);
    if (!t) return;
    expect({ rate: t.unreadable.length / t.statements < 0.01, unreadable: t.unreadable }).toMatchObject({ rate: true });
  });
});
