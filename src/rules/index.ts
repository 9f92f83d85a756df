// Every rule. One file per rule, its tests beside it; ids are stable once released.
import dropColumn from './drop-column.js';
import frameworkCannotReverse from './framework-cannot-reverse.js';
import notAnalyzed from './not-analyzed.js';
import type { Rule } from './rule.js';

export const allRules: Rule[] = [dropColumn, frameworkCannotReverse, notAnalyzed].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
