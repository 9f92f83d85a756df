// Every rule. One file per rule, its tests beside it; ids are stable once released.
import addColumnNotNull from './add-column-not-null.js';
import addColumnRewrite from './add-column-rewrite.js';
import alterEnumAddValueInTransaction from './alter-enum-add-value-in-transaction.js';
import backfillInTransaction from './backfill-in-transaction.js';
import banAlterDomainWithAddConstraint from './ban-alter-domain-with-add-constraint.js';
import banCharField from './ban-char-field.js';
import banCreateDomainWithConstraint from './ban-create-domain-with-constraint.js';
import changeColumnType from './change-column-type.js';
import clusterRewritesTable from './cluster-rewrites-table.js';
import concurrentlyInTransaction from './concurrently-in-transaction.js';
import constraintMissingNotValid from './constraint-missing-not-valid.js';
import deleteRows from './delete-rows.js';
import downDoesNotUndo from './down-does-not-undo.js';
import downFails from './down-fails.js';
import downReaddsConstraint from './down-readds-constraint.js';
import downReaddsNotNull from './down-readds-not-null.js';
import downReferencesMissing from './down-references-missing.js';
import downRemovesEnumValue from './down-removes-enum-value.js';
import downRenarrowsType from './down-renarrows-type.js';
import dropColumn from './drop-column.js';
import dropConstraint from './drop-constraint.js';
import dropDatabase from './drop-database.js';
import dropDefault from './drop-default.js';
import dropEnum from './drop-enum.js';
import dropIndex from './drop-index.js';
import dropNotNull from './drop-not-null.js';
import dropObject from './drop-object.js';
import dropSchema from './drop-schema.js';
import dropTable from './drop-table.js';
import dropView from './drop-view.js';
import exclusionConstraintBuildsIndex from './exclusion-constraint-builds-index.js';
import frameworkCannotReverse from './framework-cannot-reverse.js';
import ignoreWithoutReason from './ignore-without-reason.js';
import insertRows from './insert-rows.js';
import missingDown from './missing-down.js';
import mixedTransactionStatements from './mixed-transaction-statements.js';
import mysqlAlterCopiesTable from './mysql-alter-copies-table.js';
import newWriteRestriction from './new-write-restriction.js';
import notAnalyzed from './not-analyzed.js';
import preferBigintKeys from './prefer-bigint-keys.js';
import preferIdentity from './prefer-identity.js';
import preferJsonb from './prefer-jsonb.js';
import preferTextField from './prefer-text-field.js';
import preferTimestamptz from './prefer-timestamptz.js';
import renameColumn from './rename-column.js';
import renameEnumValue from './rename-enum-value.js';
import renameObject from './rename-object.js';
import renameTable from './rename-table.js';
import requireConcurrentIndexCreation from './require-concurrent-index-creation.js';
import requireConcurrentIndexDeletion from './require-concurrent-index-deletion.js';
import requireConcurrentRefresh from './require-concurrent-refresh.js';
import requireConcurrentReindex from './require-concurrent-reindex.js';
import requireLockTimeout from './require-lock-timeout.js';
import requireStatementTimeout from './require-statement-timeout.js';
import type { Rule } from './rule.js';
import setLoggedRewritesTable from './set-logged-rewrites-table.js';
import setNotNull from './set-not-null.js';
import setNotNullScan from './set-not-null-scan.js';
import setTablespaceRewritesTable from './set-tablespace-rewrites-table.js';
import transactionNesting from './transaction-nesting.js';
import truncateTable from './truncate-table.js';
import uncommittedTransaction from './uncommitted-transaction.js';
import uniqueConstraintBuildsIndex from './unique-constraint-builds-index.js';
import updateRows from './update-rows.js';
import vacuumFullRewritesTable from './vacuum-full-rewrites-table.js';
import validateInSameTransaction from './validate-in-same-transaction.js';

export const allRules: Rule[] = [
  addColumnNotNull,
  addColumnRewrite,
  alterEnumAddValueInTransaction,
  backfillInTransaction,
  banAlterDomainWithAddConstraint,
  banCharField,
  banCreateDomainWithConstraint,
  changeColumnType,
  clusterRewritesTable,
  concurrentlyInTransaction,
  constraintMissingNotValid,
  deleteRows,
  downDoesNotUndo,
  downReaddsConstraint,
  downReaddsNotNull,
  downFails,
  downReferencesMissing,
  downRemovesEnumValue,
  downRenarrowsType,
  dropColumn,
  dropConstraint,
  dropDatabase,
  dropDefault,
  dropEnum,
  dropIndex,
  dropNotNull,
  dropObject,
  dropSchema,
  dropTable,
  dropView,
  exclusionConstraintBuildsIndex,
  frameworkCannotReverse,
  ignoreWithoutReason,
  insertRows,
  missingDown,
  mixedTransactionStatements,
  mysqlAlterCopiesTable,
  newWriteRestriction,
  notAnalyzed,
  preferBigintKeys,
  preferIdentity,
  preferJsonb,
  preferTextField,
  preferTimestamptz,
  renameColumn,
  renameEnumValue,
  renameObject,
  renameTable,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentRefresh,
  requireConcurrentReindex,
  requireLockTimeout,
  requireStatementTimeout,
  setLoggedRewritesTable,
  setNotNull,
  setNotNullScan,
  setTablespaceRewritesTable,
  transactionNesting,
  truncateTable,
  uncommittedTransaction,
  uniqueConstraintBuildsIndex,
  updateRows,
  vacuumFullRewritesTable,
  validateInSameTransaction,
  // By code unit, not localeCompare: the same order in every locale, and no ICU collator started at load.
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
