import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempProject } from '../testing/projects.js';
import { ruleDocPage, staleRuleDocs, writeRuleDocs } from './docs.js';
import { allRules } from './index.js';

describe('docs/rules', () => {
  it('is up to date with the rules (run `npm run docs` after changing a rule)', () => {
    expect(staleRuleDocs(resolve(repoRoot, 'docs/rules'), allRules)).toEqual([]);
  });

  it('a page carries the rule’s metadata and docs', () => {
    for (const rule of allRules) {
      const page = ruleDocPage(rule);
      expect(page).toContain(`# ${rule.id}\n\n${rule.summary}`);
      expect(page).toContain(`| default severity | \`${rule.severity}\` |`);
      expect(page).toContain(rule.docs.trim());
    }
  });

  it('detects a stale, a missing and an extra page, and regenerating fixes all three', () => {
    const dir = tempProject({ 'README.md': 'old index', 'no-such-rule.md': 'x' });
    expect(staleRuleDocs(dir, allRules)).toEqual([
      'no-such-rule.md: no rule has this id',
      'README.md: out of date',
      ...allRules.map((r) => `${r.id}.md: missing`),
    ]);
    writeRuleDocs(dir, allRules);
    expect(staleRuleDocs(dir, allRules)).toEqual([]);
  });
});
