// docs/rules/: one page per rule and an index, generated from the rules' own metadata so the
// docs never drift from what the rules do (`npm run docs`; a test fails when they are stale).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Category } from '../findings.js';
import type { Rule } from './rule.js';

const GENERATED = '<!-- Generated from the rule metadata in src/rules/ by `npm run docs`: edit the rule, not this file. -->';

const CATEGORY_TITLE: Record<Category, string> = {
  'data-loss': 'Data loss',
  'breaks-old-code': 'Breaks the code still running',
  locking: 'Locking',
  rollback: 'Rollback',
  hygiene: 'Hygiene (style and practice: never decides a door)',
};

const DIRECTION: Record<Rule['direction'], string> = { up: 'the up migration', down: 'the down migration', both: 'the up and the down' };

export function ruleDocPage(rule: Rule): string {
  const rows: Array<[string, string]> = [
    ['category', `\`${rule.category}\``],
    ['default severity', `\`${rule.severity}\``],
    ['checks', DIRECTION[rule.direction]],
    ['dialects', rule.dialects?.join(', ') ?? 'all'],
  ];
  if (rule.lock) rows.push(['lock', rule.lock]);
  return [
    GENERATED,
    '',
    `# ${rule.id}`,
    '',
    rule.summary,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replaceAll('|', '\\|')} |`),
    '',
    rule.docs.trim(),
    '',
    '## Configure',
    '',
    `Change its severity or turn it off in \`twoway.config.json\` (or \`.yaml\`, or \`package.json#twoway\`):`,
    '',
    '```json',
    `{ "rules": { "${rule.id}": "warning" } }`,
    '```',
    '',
    'Accept one occurrence, with the reason, in a comment above the statement:',
    '',
    '```sql',
    `-- twoway-ignore ${rule.id}: <why this is safe here>`,
    '```',
    '',
    `\`twoway explain ${rule.id}\` prints this page in the terminal.`,
    '',
  ].join('\n');
}

export function ruleDocsIndex(rules: readonly Rule[]): string {
  const lines = [GENERATED, '', '# Rules', '', `${rules.length} rule${rules.length === 1 ? '' : 's'}, by what they protect.`, ''];
  for (const category of Object.keys(CATEGORY_TITLE) as Category[]) {
    const inCategory = rules.filter((r) => r.category === category);
    if (!inCategory.length) continue;
    lines.push(`## ${CATEGORY_TITLE[category]} (\`${category}\`)`, '', '| rule | default | summary |', '|---|---|---|');
    for (const r of inCategory) lines.push(`| [${r.id}](${r.id}.md) | ${r.severity} | ${r.summary.replaceAll('|', '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Every file docs/rules/ should hold: name → text. */
export function ruleDocs(rules: readonly Rule[]): Map<string, string> {
  return new Map([['README.md', ruleDocsIndex(rules)], ...rules.map((r): [string, string] => [`${r.id}.md`, ruleDocPage(r)])]);
}

/** What differs between `dir` and the generated docs: missing, stale or extra files. */
export function staleRuleDocs(dir: string, rules: readonly Rule[]): string[] {
  const expected = ruleDocs(rules);
  let present: string[] = [];
  try {
    present = readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch {
    // No folder yet: every page is missing.
  }
  const problems = present.filter((f) => !expected.has(f)).map((f) => `${f}: no rule has this id`);
  for (const [name, text] of expected) {
    if (!present.includes(name)) problems.push(`${name}: missing`);
    else if (readFileSync(join(dir, name), 'utf8') !== text) problems.push(`${name}: out of date`);
  }
  return problems;
}

export function writeRuleDocs(dir: string, rules: readonly Rule[]): void {
  mkdirSync(dir, { recursive: true });
  const expected = ruleDocs(rules);
  for (const f of readdirSync(dir)) if (f.endsWith('.md') && !expected.has(f)) rmSync(join(dir, f));
  for (const [name, text] of expected) writeFileSync(join(dir, name), text);
}
