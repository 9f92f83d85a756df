// Every rule. One file per rule, its tests beside it; ids are stable once released.
import addColumnNotNull from './add-column-not-null.js';
import addColumnRewrite from './add-column-rewrite.js';
import backfillInTransaction from './backfill-in-transaction.js';
import banCharField from './ban-char-field.js';
import changeColumnType from './change-column-type.js';
import deleteRows from './delete-rows.js';
import dropColumn from './drop-column.js';
import dropConstraint from './drop-constraint.js';
import dropDatabase from './drop-database.js';
import dropDefault from './drop-default.js';
import dropEnum from './drop-enum.js';
import dropNotNull from './drop-not-null.js';
import dropSchema from './drop-schema.js';
import dropTable from './drop-table.js';
import dropView from './drop-view.js';
import insertRows from './insert-rows.js';
import newWriteRestriction from './new-write-restriction.js';
import preferBigintKeys from './prefer-bigint-keys.js';
import preferIdentity from './prefer-identity.js';
import preferJsonb from './prefer-jsonb.js';
import preferTextField from './prefer-text-field.js';
import preferTimestamptz from './prefer-timestamptz.js';
import renameColumn from './rename-column.js';
import renameEnumValue from './rename-enum-value.js';
import renameObject from './rename-object.js';
import renameTable from './rename-table.js';
import type { Rule } from './rule.js';
import setNotNull from './set-not-null.js';
import truncateTable from './truncate-table.js';
import updateRows from './update-rows.js';

export const allRules: Rule[] = [
  addColumnNotNull,
  addColumnRewrite,
  backfillInTransaction,
  banCharField,
  changeColumnType,
  deleteRows,
  dropColumn,
  dropConstraint,
  dropDatabase,
  dropDefault,
  dropEnum,
  dropNotNull,
  dropSchema,
  dropTable,
  dropView,
  insertRows,
  newWriteRestriction,
  preferBigintKeys,
  preferIdentity,
  preferJsonb,
  preferTextField,
  preferTimestamptz,
  renameColumn,
  renameEnumValue,
  renameObject,
  renameTable,
  setNotNull,
  truncateTable,
  updateRows,
].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
