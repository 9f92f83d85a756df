// `twoway explain <id>`: the rule's own metadata and docs, so the two never drift.
import type { Rule } from './rule.js';

export function formatExplain(rule: Rule): string {
  const lines = [`${rule.id} (${rule.category}, default ${rule.severity})`, '', rule.summary, ''];
  if (rule.lock) lines.push(`Lock: ${rule.lock}`, '');
  lines.push(rule.docs.trim(), '');
  return `${lines.join('\n')}\n`;
}
