// The project config: twoway.config.json, twoway.config.yaml or package.json#twoway, found from the
// working directory upwards (ESLint's way). Validated strictly: an unknown key or value is an error
// naming the file, the line and the key, so a typo never silently turns a rule back on.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { Node } from 'yaml';
import type { z } from 'zod';
import type { ConfiguredDialect } from './discover/dialect.js';
import type { Severity } from './findings.js';
import type { Dialect } from './ir.js';
import { ruleById } from './rules/index.js';

export const CONFIG_FILES = ['twoway.config.json', 'twoway.config.yaml', 'twoway.config.yml', 'package.json'] as const;

// zod and yaml load only when there is a config to read: most runs of a pre-commit hook have none to parse
// twice, and start-up is what they pay.
const require = createRequire(import.meta.url);
const yaml = () => require('yaml') as typeof import('yaml');
let schema: ReturnType<typeof buildConfigSchema> | undefined;
const configSchema = () => {
  schema ??= buildConfigSchema();
  return schema;
};

const SERVER_VERSION = 'expected a server version such as 16, "9.6" or "8.0"';

function buildConfigSchema() {
  const { z } = require('zod') as typeof import('zod');
  const severity = z.enum(['error', 'warning', 'info']);
  return z.strictObject({
    /** For sets whose framework config, file names and folder do not say (plain SQL folders). */
    dialect: z.enum(['postgresql', 'mysql', 'sqlite']).optional(),
    /** Per folder (relative to the config file's folder): the dialect of the sets in it, whatever else says. */
    dialects: z.record(z.string().min(1), z.enum(['postgresql', 'mysql', 'sqlite'])).optional(),
    /** Target server version: "16", 16, "16.2" or 9.6 (its major version is what counts). */
    serverVersion: z
      .union(
        [
          // Major 0 is no server's: 0.5 would be taken as 0, older than anything the rules know.
          z.number({ error: SERVER_VERSION }).min(1, { error: SERVER_VERSION }),
          z.string().regex(/^0*[1-9]\d*(\.\d+)*$/, { error: SERVER_VERSION }),
        ],
        {
          error: SERVER_VERSION,
        },
      )
      .optional(),
    rules: z.record(z.string(), z.enum(['off', 'info', 'warning', 'error'])).optional(),
    failOn: severity.optional(),
    /** Severity of what leaves a door unverified (code no reader followed): 'error' makes CI fail on it. */
    unknown: z.enum(['off', 'info', 'warning', 'error']).optional(),
    /** The runner sets lock_timeout / statement_timeout for every migration (e.g. "5s"): no finding asks for one. */
    lockTimeout: z
      .string()
      .regex(/^\s*\d+\s*(ms|s|min|h)?\s*$/, 'a duration such as "5s" or "3000ms"')
      .optional(),
    statementTimeout: z
      .string()
      .regex(/^\s*\d+\s*(ms|s|min|h)?\s*$/, 'a duration such as "15min" or "60s"')
      .optional(),
    /** Globs relative to the config file's folder. */
    ignore: z.array(z.string().min(1)).optional(),
    /** What `twoway check` checks when given no path, relative to the config file's folder. */
    paths: z.array(z.string().min(1)).optional(),
  });
}

export type ConfigFile = z.infer<ReturnType<typeof buildConfigSchema>>;

export interface Config {
  /** The file the config came from, relative to the working directory. */
  file: string;
  /** The folder the config's globs and paths are relative to (absolute). */
  root: string;
  dialect?: Dialect;
  /** The `dialects` entries, with folders relative to the working directory. */
  dialects?: ConfiguredDialect[];
  serverVersion?: number;
  rules: Record<string, Severity | 'off'>;
  failOn?: Severity;
  unknown?: Severity | 'off';
  /** Session settings the runner applies before every migration (lock_timeout, statement_timeout). */
  runnerSettings?: Record<string, string>;
  /** Paths relative to the working directory. */
  paths?: string[];
  /** Takes a path relative to the working directory. */
  isIgnored?: (relPath: string) => boolean;
}

/** A config that cannot be used: the message names the file, the line and the key. */
export class ConfigError extends Error {}

/** Finds the nearest config from `cwd` upwards; null when there is none. */
export function findConfigFile(cwd: string): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      if (name !== 'package.json') return file;
      if (packageJsonHasConfig(file)) return file;
    }
    if (dirname(dir) === dir) return null;
  }
}

function packageJsonHasConfig(file: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    return typeof pkg === 'object' && pkg !== null && 'twoway' in pkg;
  } catch {
    return false;
  }
}

/** The folder a path argument is looked up from: a folder itself, a file's own folder. */
export function lookupFolder(cwd: string, path: string): string {
  const abs = resolve(cwd, path);
  try {
    return statSync(abs).isFile() ? dirname(abs) : abs;
  } catch {
    return abs;
  }
}

/**
 * The config of a run over `paths`, found from where the migrations are, not from where twoway runs (ESLint's rule
 * since v10): the nearest config above each path argument's folder; without arguments, above the current
 * directory. Arguments under different configs (or some under none) are different projects: a ConfigError.
 */
export function configFileFor(cwd: string, paths: readonly string[] = []): string | null {
  if (!paths.length) return findConfigFile(cwd);
  const found = [...new Set(paths.map((p) => findConfigFile(lookupFolder(cwd, p))))];
  if (found.length > 1) {
    const named = found.map((f) => (f ? relative(cwd, f) || f : 'no config'));
    throw new ConfigError(
      `${paths.join(', ')}: these paths are under different configs (${named.join(', ')}): check each project on its own, or name one with --config`,
    );
  }
  return found[0] ?? null;
}

/** Loads the config of a run over `paths` (configFileFor), or `explicit`, a path given with --config. */
export function loadConfig(cwd: string, explicit?: string, paths: readonly string[] = []): Config | null {
  const file = explicit ? resolve(cwd, explicit) : configFileFor(cwd, paths);
  if (!file) return null;
  const shown = relative(cwd, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${shown}: cannot read the config (${(e as NodeJS.ErrnoException).code})`);
  }
  return parseConfig(text, file, cwd);
}

/** Parses and validates a config's text. `file` decides the syntax (JSON, YAML, package.json#twoway). */
export function parseConfig(text: string, file: string, cwd: string): Config {
  const shown = relative(cwd, file) || file;
  const isJson = file.endsWith('.json');
  const prefix = file.endsWith('package.json') ? ['twoway'] : [];
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  // YAML 1.2 is a superset of JSON: one parser gives every key's position for both syntaxes.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  let value: unknown;
  if (isJson) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      // JSON.parse names no line; the YAML parser usually can.
      const at = doc.errors[0] ? `:${lines.linePos(doc.errors[0].pos[0]).line}` : '';
      throw new ConfigError(`${shown}${at}: not valid JSON: ${(e as Error).message}`);
    }
  } else {
    const [syntax] = doc.errors;
    if (syntax) {
      const at = lines.linePos(syntax.pos[0]);
      throw new ConfigError(`${shown}:${at.line}: not valid YAML: ${syntax.message.split('\n')[0]}`);
    }
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    } catch (e) {
      // The yaml library refuses alias chains that expand without bound (a "billion laughs" file).
      if (e instanceof ReferenceError)
        throw new ConfigError(`${shown}: YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} uses): write the values out`);
      throw e;
    }
  }
  for (const key of prefix) value = (value as Record<string, unknown>)[key];

  const where = (path: readonly PropertyKey[], keyItself: boolean): string => {
    const node = nodeAt(doc.contents, [...prefix, ...path].map(String), keyItself);
    return node?.range ? `${shown}:${lines.linePos(node.range[0]).line}` : shown;
  };

  const parsed = configSchema().safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] as string;
      const path = [...issue.path, key];
      throw new ConfigError(
        `${where(path, true)}: unknown key "${dotted(prefix, path)}" (known: ${Object.keys(configSchema().shape).join(', ')})`,
      );
    }
    throw new ConfigError(
      `${where(issue.path, false)}: "${dotted(prefix, issue.path)}": ${shownValue(valueAt(value, issue.path))} is not allowed (${issue.message})`,
    );
  }
  const config = parsed.data;
  for (const id of Object.keys(config.rules ?? {})) {
    if (!ruleById(id))
      throw new ConfigError(`${where(['rules', id], true)}: unknown rule "${id}" in "rules" (\`twoway explain\` lists them)`);
  }

  const root = dirname(file);
  const fromRoot = (p: string) => relative(cwd, resolve(root, p)) || '.';
  // picomatch is required only for a config that ignores something.
  const ignore = config.ignore?.length ? (require('picomatch') as typeof import('picomatch'))(config.ignore, { dot: true }) : null;
  return {
    file: shown,
    root,
    dialect: config.dialect,
    dialects: config.dialects
      ? Object.entries(config.dialects).map(([folder, dialect]) => ({ folder: fromRoot(folder), dialect, source: `${shown} dialects` }))
      : undefined,
    serverVersion: config.serverVersion === undefined ? undefined : Number.parseInt(String(config.serverVersion), 10),
    rules: config.rules ?? {},
    failOn: config.failOn,
    unknown: config.unknown,
    runnerSettings: runnerSettingsOf(config),
    paths: config.paths?.map(fromRoot),
    isIgnored: ignore ? (relPath) => ignore(relative(root, resolve(cwd, relPath)).split('\\').join('/')) : undefined,
  };
}

/** A config needs a handful of aliases at most; past this the file is an alias bomb, not a config. */
const MAX_ALIAS_COUNT = 100;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function shownValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function runnerSettingsOf(config: ConfigFile): Record<string, string> | undefined {
  const settings: Record<string, string> = {};
  if (config.lockTimeout) settings.lock_timeout = config.lockTimeout.trim();
  if (config.statementTimeout) settings.statement_timeout = config.statementTimeout.trim();
  return Object.keys(settings).length ? settings : undefined;
}

function dotted(prefix: string[], path: readonly PropertyKey[]): string {
  return [...prefix, ...path].map(String).join('.') || '(top level)';
}

/** The YAML node at `path` (the key node when `keyItself`), or the deepest one that exists. */
function nodeAt(root: unknown, path: string[], keyItself: boolean): Node | null {
  const { isMap, isScalar, isSeq } = yaml();
  let node = root as Node | null;
  for (const [i, segment] of path.entries()) {
    if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) return node;
      node = item;
      continue;
    }
    if (!isMap(node)) return node;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (!pair) return node;
    if (i === path.length - 1 && keyItself) return pair.key as Node;
    node = pair.value as Node | null;
  }
  return node;
}
