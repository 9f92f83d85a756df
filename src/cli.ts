// The command line: parse flags, call the library, print, return the exit code. Nothing else.
import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type CheckResult, check } from './check.js';
import { type Config, ConfigError, findConfigFile, loadConfig } from './config.js';
import { discover } from './discover/index.js';
import { SEVERITY_RANK, type Severity } from './findings.js';
import { loadAdapters } from './frameworks/index.js';
import { changedSince, GitError } from './git.js';
import { starterConfig } from './init.js';
import type { Dialect } from './ir.js';
import {
  DEFAULT_STATEMENT_TIMEOUT_SECONDS,
  notRehearsed,
  rehearsalFailed,
  rehearse,
  ScratchDatabaseError,
  UnknownMigrationError,
} from './rehearse/index.js';
import { formatGithub } from './report/github.js';
import { formatHtml } from './report/html.js';
import { formatHuman } from './report/human.js';
import { formatJson } from './report/json.js';
import { formatMarkdown } from './report/markdown.js';
import { formatRehearseHuman } from './report/rehearse-human.js';
import { formatRehearseJson } from './report/rehearse-json.js';
import { formatSarif } from './report/sarif.js';
import { plural, totalsOf } from './report/summary.js';
import { formatExplain } from './rules/explain.js';
import { allRules, ruleById } from './rules/index.js';

export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;

class UsageError extends Error {}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  colour?: boolean;
  /** Rehearsal progress on a terminal: migration `done` of `total` (0 of 0: clear the line). */
  progress?: (done: number, total: number, id: string) => void;
  /** The working directory: paths, config lookup, git and reports are relative to it (default: the process's). */
  cwd?: string;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let code: number = EXIT.clean;
  const program = new Command('twoway')
    .description('Tells whether each database migration is a two-way door: safe to roll back the code, the database, or both.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  addCheckOptions(
    program
      .command('check')
      .description('lint migrations: phase, both rollback answers, locks, and the safe alternative')
      .argument('[paths...]', "repos, folders or migration files (default: the config's paths, else the current directory)")
      .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATS)).default('human'))
      .option('-o, --output <file>', 'write the report to this file instead of standard output'),
  )
    .option('--verbose', 'also show suppressed findings')
    .action(async (paths: string[], opts) => {
      const run = await runCheck(paths, opts, io);
      const text = FORMATS[opts.format as Format](run.result, {
        color: !opts.output && (io.colour ?? false),
        verbose: opts.verbose,
        since: opts.since,
      });
      writeReport(text, opts.output, io);
      code = run.exitCode;
    });

  addCheckOptions(
    program
      .command('report')
      .description('write one self-contained HTML page for reviewers: the migration timeline, filters, every finding with its fix')
      .argument('[paths...]', "repos, folders or migration files (default: the config's paths, else the current directory)")
      .option('-o, --output <file>', 'where to write the page', 'twoway-report.html'),
  ).action(async (paths: string[], opts) => {
    const run = await runCheck(paths, opts, io);
    writeReport(formatHtml(run.result, { since: opts.since }), opts.output, io);
    io.err(`twoway: wrote ${opts.output} (${plural(totalsOf(run.result).migrations, 'migration')})\n`);
    code = run.exitCode;
  });

  program
    .command('init')
    .description('write a commented starter twoway.config.yaml for the migrations found here')
    .option('--force', 'overwrite an existing twoway.config.yaml')
    .action(async (opts) => {
      const cwd = io.cwd ?? process.cwd();
      const target = resolve(cwd, 'twoway.config.yaml');
      if (existsSync(target) && !opts.force) throw new UsageError('twoway.config.yaml already exists (--force overwrites it)');
      const existing = findConfigFile(cwd);
      if (existing && existing !== target && !opts.force) throw new UsageError(`a config already applies here: ${relative(cwd, existing)}`);
      // Discovery reads SQL with the parsers' scanners (to tell a set's dialect): they load first.
      await loadAdapters();
      writeFileSync(target, starterConfig(discover([], { cwd }).sets));
      io.out(`wrote twoway.config.yaml\n`);
    });

  program
    .command('rehearse')
    .description('prove every rollback: run up, down and up again on a real PostgreSQL and diff schema and data')
    .argument('[paths...]', 'repos, folders or migration files (default: the current directory)')
    .option('--database-url <url>', 'rehearse on this server, in a scratch database twoway creates and drops (default: embedded PGlite)')
    .option(
      '--statement-timeout <seconds>',
      `time limit of each statement; a statement past it is ended and reported "timed out" (default: ${DEFAULT_STATEMENT_TIMEOUT_SECONDS})`,
      parseSeconds,
    )
    .option(
      '--allow-outside-effects',
      'also run statements that act outside the scratch database (COPY … PROGRAM, server files, ALTER SYSTEM, roles, databases, dblink…), as the URL’s own role',
    )
    .option('--since <git-ref>', 'rehearse only migrations added or changed since this ref; the older ones are replayed, up only')
    .option('--from <id>', 'rehearse this migration and the ones after it; the ones before are replayed, up only')
    .option('--only <id>', 'rehearse only this migration; the ones before it are replayed, up only')
    .option('--verbose', 'also print how long each up, down and re-up took')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .addHelpText(
      'after',
      '\nrehearse executes the migrations’ SQL (and, for DSL migrations, the SQL twoway emits for them) in a scratch\n' +
        'database it creates and drops: never in the database --database-url names. Statements that would act outside\n' +
        'it are refused (the migration is reported "not rehearsed") unless --allow-outside-effects is given; on a server\n' +
        'the migrations run as a fresh role without superuser rights. `twoway check` never executes anything.\n',
    )
    .action(async (paths: string[], opts) => {
      if (opts.databaseUrl !== undefined && !opts.databaseUrl.trim())
        throw new UsageError('--database-url is empty (is $DATABASE_URL set?); leave the flag out to rehearse on the embedded PGlite');
      for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
      if (opts.from !== undefined && opts.only !== undefined) throw new UsageError('--from and --only cannot be combined');
      let onlyFiles: Set<string> | undefined;
      if (opts.since !== undefined) {
        try {
          onlyFiles = changedSince(opts.since, io.cwd ?? process.cwd());
        } catch (e) {
          if (e instanceof GitError) throw new UsageError(`--since ${opts.since}: ${e.message}`);
          throw e;
        }
      }
      const result = await rehearse(paths, {
        cwd: io.cwd,
        onlyFiles,
        from: opts.from,
        only: opts.only,
        onProgress: io.progress,
        databaseUrl: opts.databaseUrl,
        statementTimeoutSeconds: opts.statementTimeout,
        allowOutsideEffects: opts.allowOutsideEffects ?? false,
        onNotice: (message) => io.err(`twoway: ${message}\n`),
      }).catch((e) => {
        throw e instanceof ScratchDatabaseError || e instanceof UnknownMigrationError ? new UsageError(e.message) : e;
      });
      io.progress?.(0, 0, '');
      if (result.migrations.length === 0) {
        for (const e of result.errors) io.err(`twoway: ${e.path}: ${e.message}\n`);
        throw new UsageError(`no PostgreSQL migrations found in ${paths.length ? paths.join(', ') : 'the current directory'}`);
      }
      io.out(
        opts.format === 'json'
          ? formatRehearseJson(result)
          : formatRehearseHuman(result, { color: io.colour ?? false, verbose: opts.verbose }),
      );
      const unproven = result.migrations.some((m) => rehearsalFailed(m) || notRehearsed(m));
      code = unproven || result.errors.length ? EXIT.findings : EXIT.clean;
    });

  program
    .command('explain')
    .description('what a rule catches, why it matters, and what to do instead')
    .argument('[rule-id]', 'a rule id; without one, lists every rule')
    .action((id?: string) => {
      if (!id) {
        for (const r of allRules) io.out(`${r.id.padEnd(34)} ${r.category.padEnd(16)} ${r.summary}\n`);
        return;
      }
      const rule = ruleById(id);
      if (!rule) throw new UsageError(`unknown rule "${id}"; \`twoway explain\` lists them`);
      io.out(formatExplain(rule));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.clean : EXIT.usage;
    if (e instanceof UsageError) {
      io.err(`twoway: ${e.message}\n`);
      return EXIT.usage;
    }
    io.err(`twoway: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.usage;
  }
  return code;
}

type Format = keyof typeof FORMATS;

const FORMATS = {
  human: (result: CheckResult, o: { color: boolean; verbose?: boolean }) => formatHuman(result, o),
  json: (result: CheckResult) => formatJson(result),
  sarif: (result: CheckResult) => formatSarif(result),
  github: (result: CheckResult) => formatGithub(result),
  markdown: (result: CheckResult, o: { since?: string }) => formatMarkdown(result, o),
  html: (result: CheckResult, o: { since?: string }) => formatHtml(result, o),
};

/** The flags `check` and `report` share: what to analyze, how strictly, and what to report. */
function addCheckOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (default: twoway.config.json / .yaml / package.json#twoway, from here upwards)')
    .addOption(
      new Option('--dialect <dialect>', 'SQL dialect of sets whose framework config, file names and folder do not say').choices([
        'postgresql',
        'mysql',
        'sqlite',
      ]),
    )
    .option('--server-version <major>', 'target server major version (e.g. 16)', parseVersion)
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run (default: error)').choices(['error', 'warning', 'info']),
    )
    .option('--since <git-ref>', 'report only migrations added or changed since this ref (the whole history is still replayed)');
}

interface CheckFlags {
  config?: string;
  dialect?: Dialect;
  serverVersion?: number;
  failOn?: Severity;
  since?: string;
}

/** Config, then flags over it; runs `check`; the exit code the findings deserve. */
async function runCheck(paths: string[], flags: CheckFlags, io: Io): Promise<{ result: CheckResult; exitCode: number }> {
  const cwd = io.cwd ?? process.cwd();
  let config: Config | null;
  try {
    config = loadConfig(cwd, flags.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  if (!paths.length && config?.paths) paths = config.paths;
  for (const p of paths) if (!existsSync(resolve(cwd, p))) throw new UsageError(`no such file or folder: ${p}`);
  let onlyFiles: Set<string> | undefined;
  if (flags.since !== undefined) {
    try {
      onlyFiles = changedSince(flags.since, cwd);
    } catch (e) {
      if (e instanceof GitError) throw new UsageError(`--since ${flags.since}: ${e.message}`);
      throw e;
    }
  }
  const result = await check(paths, {
    cwd,
    dialect: flags.dialect ?? config?.dialect,
    dialectSource: flags.dialect ? '--dialect' : config?.dialect ? `${config.file} dialect` : undefined,
    dialects: config?.dialects,
    serverVersion: flags.serverVersion ?? config?.serverVersion,
    rules: config?.rules,
    unknown: config?.unknown,
    isIgnored: config?.isIgnored,
    onlyFiles,
  });
  if (result.sets.length === 0) {
    for (const e of result.errors) io.err(`twoway: ${e.path}: ${e.message}\n`);
    throw new UsageError(`no migrations found in ${paths.length ? paths.join(', ') : 'the current directory'}`);
  }
  const failOn = SEVERITY_RANK[flags.failOn ?? config?.failOn ?? 'error'];
  const failing = result.sets.some((s) =>
    s.reports.some((r) => r.findings.some((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= failOn)),
  );
  return { result, exitCode: failing || result.errors.length ? EXIT.findings : EXIT.clean };
}

function writeReport(text: string, output: string | undefined, io: Io): void {
  if (!output) {
    io.out(text);
    return;
  }
  try {
    writeFileSync(resolve(io.cwd ?? process.cwd(), output), text);
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code}`);
  }
}

function parseVersion(value: string): number {
  const major = Number.parseInt(value, 10);
  if (!Number.isFinite(major) || major <= 0) throw new UsageError(`--server-version must be a major version such as 16, not "${value}"`);
  return major;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--statement-timeout must be a number of seconds such as 5, not "${value}"`);
  return seconds;
}

function defaultIo() {
  return {
    out: (s: string) => process.stdout.write(s),
    err: (s: string) => process.stderr.write(s),
    colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    progress: process.stderr.isTTY ? progressLine : undefined,
  };
}

/** One line on stderr, rewritten in place: long histories show where they are. */
function progressLine(done: number, total: number, id: string): void {
  process.stderr.write(total ? `\r\x1b[2Krehearsing ${done}/${total}: ${id}` : '\r\x1b[2K');
}
