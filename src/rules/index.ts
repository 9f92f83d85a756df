// Every rule. One file per rule, its tests beside it; ids are stable once released.
import addColumnNotNull from './add-column-not-null.js';
import addColumnRewrite from './add-column-rewrite.js';
import changeColumnType from './change-column-type.js';
import dropColumn from './drop-column.js';
import dropDefault from './drop-default.js';
import dropEnum from './drop-enum.js';
import dropNotNull from './drop-not-null.js';
import dropTable from './drop-table.js';
import renameColumn from './rename-column.js';
import renameEnumValue from './rename-enum-value.js';
import renameTable from './rename-table.js';
import type { Rule } from './rule.js';
import setNotNull from './set-not-null.js';

export const allRules: Rule[] = [
  addColumnNotNull,
  addColumnRewrite,
  changeColumnType,
  dropColumn,
  dropDefault,
  dropEnum,
  dropNotNull,
  dropTable,
  renameColumn,
  renameEnumValue,
  renameTable,
  setNotNull,
].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
