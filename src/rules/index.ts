// Every rule. One file per rule, its tests beside it; ids are stable once released.
import dropColumn from './drop-column.js';
import type { Rule } from './rule.js';

export const allRules: Rule[] = [dropColumn].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
