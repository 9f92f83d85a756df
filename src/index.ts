// The library API (docs/api.md). Its published types need no @types/node (src/api.test.ts checks it).

// `discover` is synchronous: the library imports every framework adapter up front.
import './frameworks/all.js';

export { type AnalyzeOptions, analyzeHistory, type MigrationReport } from './analyze.js';
export { type CheckOptions, type CheckResult, check } from './check.js';
export { discover } from './discover/index.js';
export type { DetectedSetting, RunnerSettings } from './discover/runner-settings.js';
export type * from './findings.js';
export type * from './ir.js';
export type * from './migration.js';
export { type RehearseOptions, type RehearseResult, rehearse } from './rehearse/index.js';
export { formatCompact } from './report/compact.js';
export { formatGithub } from './report/github.js';
export { formatHtml, type HtmlOptions } from './report/html.js';
export { formatJson, type JsonReport, toJsonReport } from './report/json.js';
export { formatMarkdown } from './report/markdown.js';
export { formatRehearseJson } from './report/rehearse-json.js';
export { formatSarif } from './report/sarif.js';
export { allRules, ruleById } from './rules/index.js';
export type { Rule } from './rules/rule.js';
