// Every rule. One file per rule, its tests beside it; ids are stable once released.

import alterEnumAddValueInTransaction from './alter-enum-add-value-in-transaction.js';
import banAlterDomainWithAddConstraint from './ban-alter-domain-with-add-constraint.js';
import banCreateDomainWithConstraint from './ban-create-domain-with-constraint.js';
import clusterRewritesTable from './cluster-rewrites-table.js';
import concurrentlyInTransaction from './concurrently-in-transaction.js';
import constraintMissingNotValid from './constraint-missing-not-valid.js';
import downDoesNotUndo from './down-does-not-undo.js';
import downReaddsConstraint from './down-readds-constraint.js';
import downReaddsNotNull from './down-readds-not-null.js';
import downReferencesMissing from './down-references-missing.js';
import downRemovesEnumValue from './down-removes-enum-value.js';
import downRenarrowsType from './down-renarrows-type.js';
import dropColumn from './drop-column.js';
import exclusionConstraintBuildsIndex from './exclusion-constraint-builds-index.js';
import ignoreWithoutReason from './ignore-without-reason.js';
import missingDown from './missing-down.js';
import requireConcurrentIndexCreation from './require-concurrent-index-creation.js';
import requireConcurrentIndexDeletion from './require-concurrent-index-deletion.js';
import requireConcurrentRefresh from './require-concurrent-refresh.js';
import requireConcurrentReindex from './require-concurrent-reindex.js';
import requireLockTimeout from './require-lock-timeout.js';
import requireStatementTimeout from './require-statement-timeout.js';
import type { Rule } from './rule.js';
import setLoggedRewritesTable from './set-logged-rewrites-table.js';
import setTablespaceRewritesTable from './set-tablespace-rewrites-table.js';
import transactionNesting from './transaction-nesting.js';
import uncommittedTransaction from './uncommitted-transaction.js';
import uniqueConstraintBuildsIndex from './unique-constraint-builds-index.js';
import vacuumFullRewritesTable from './vacuum-full-rewrites-table.js';
import validateInSameTransaction from './validate-in-same-transaction.js';

export const allRules: Rule[] = [
  dropColumn,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  concurrentlyInTransaction,
  clusterRewritesTable,
  vacuumFullRewritesTable,
  requireConcurrentReindex,
  requireConcurrentRefresh,
  setTablespaceRewritesTable,
  setLoggedRewritesTable,
  constraintMissingNotValid,
  validateInSameTransaction,
  uniqueConstraintBuildsIndex,
  exclusionConstraintBuildsIndex,
  requireLockTimeout,
  requireStatementTimeout,
  transactionNesting,
  uncommittedTransaction,
  alterEnumAddValueInTransaction,
  banAlterDomainWithAddConstraint,
  banCreateDomainWithConstraint,
  downDoesNotUndo,
  downReferencesMissing,
  downRenarrowsType,
  downReaddsNotNull,
  downReaddsConstraint,
  downRemovesEnumValue,
  missingDown,
  ignoreWithoutReason,
].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}
