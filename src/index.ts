// The library API.

export { type AnalyzeOptions, analyzeHistory, type MigrationReport } from './analyze.js';
export { type CheckOptions, type CheckResult, check } from './check.js';
export { discover } from './discover/index.js';
export type * from './findings.js';
export type * from './ir.js';
export type * from './migration.js';
export { type RehearseOptions, type RehearseResult, rehearse } from './rehearse/index.js';
export { type JsonReport, toJsonReport } from './report/json.js';
export { allRules, ruleById } from './rules/index.js';
