// Every rule. One file per rule, its tests beside it; ids are stable once released.
import changeColumnType from './change-column-type.js';
import dropColumn from './drop-column.js';
import dropTable from './drop-table.js';
import renameColumn from './rename-column.js';
import renameTable from './rename-table.js';
import type { Rule } from './rule.js';

export const allRules: Rule[] = [changeColumnType, dropColumn, dropTable, renameColumn, renameTable].sort((a, b) =>
  a.id.localeCompare(b.id),
);

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
