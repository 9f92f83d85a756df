// Every rule. One file per rule, its tests beside it; ids are stable once released.
import downSchemaDrift from './down-schema-drift.js';
import downWrongName from './down-wrong-name.js';
import dropColumn from './drop-column.js';
import lossyDown from './lossy-down.js';
import type { Rule } from './rule.js';

export const allRules: Rule[] = [dropColumn, downWrongName, downSchemaDrift, lossyDown].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
