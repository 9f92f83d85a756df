// The command line: parse flags, call the library, print, return the exit code. Nothing else.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  applyBaseline,
  BASELINE_FILE,
  type Baseline,
  BaselineError,
  createBaseline,
  findBaselineFile,
  formatBaseline,
  parseBaseline,
  projectFolder,
} from './baseline.js';
import { defaultCacheLocation } from './cache.js';
import { type CheckResult, check } from './check.js';
import { type Config, ConfigError, findConfigFile, loadConfig, lookupFolder } from './config.js';
import { discover } from './discover/index.js';
import { detectRunnerSettings, loadRunnerSettings } from './discover/runner-settings.js';
// What `check --format human` does not use is imported when a command or format asks for it: start-up is what a
// pre-commit hook pays on every commit (bench/scale.ts measures it).
import { defaultBase, repositoryHead, resolveRef } from './evidence/release.js';
import { SEVERITY_RANK, type Severity } from './findings.js';
import type { MigrationSet } from './frameworks/adapter.js';
import { loadAdapters } from './frameworks/index.js';
import { changedSince, GitError } from './git.js';
import type { Dialect } from './ir.js';
import { TOOL } from './meta.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS } from './rehearse/engine.js';
import { pathsAsGiven } from './report/paths.js';
import { plural, totalsOf } from './report/summary.js';
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
    .version(TOOL.version, '-V, --version', 'print the version')
    .showHelpAfterError();

  addCheckOptions(
    program
      .command('check')
      .description('lint migrations: phase, both rollback answers, locks, and the safe alternative')
      .argument('[paths...]', "repos, folders or migration files (default: the config's paths, else the current directory)")
      .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATS)).default('human'))
      .option('-o, --output <file>', 'write the report to this file instead of standard output'),
  )
    .option('--verbose', 'also show info, suppressed and baselined findings (human format)')
    .action(async (paths: string[], opts) => {
      const run = await runCheck(paths, opts, io);
      const o = { color: !opts.output && (io.colour ?? false), verbose: opts.verbose, since: opts.since };
      if (opts.format === 'human' && !opts.output) {
        // Written as it is formatted: the report of a long history is never one string.
        const { humanChunks } = await import('./report/human.js');
        for (const chunk of humanChunks(run.result, o)) io.out(chunk);
      } else writeReport((await FORMATS[opts.format as Format]())(run.result, o), opts.output, io);
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
    const { formatHtml } = await import('./report/html.js');
    writeReport(formatHtml(run.result, { since: opts.since }), opts.output, io);
    io.err(`twoway: wrote ${opts.output} (${plural(totalsOf(run.result).migrations, 'migration')})\n`);
    code = run.exitCode;
  });

  program
    .command('init')
    .description('write a commented starter twoway.config.yaml for the migrations found here')
    .option('--force', 'overwrite an existing twoway.config.yaml')
    .option('--baseline', `also record the current findings in ${BASELINE_FILE} (as \`twoway baseline\` does)`)
    .action(async (opts) => {
      const cwd = io.cwd ?? process.cwd();
      const target = resolve(cwd, 'twoway.config.yaml');
      if (existsSync(target) && !opts.force) throw new UsageError('twoway.config.yaml already exists (--force overwrites it)');
      const existing = findConfigFile(cwd);
      if (existing && existing !== target && !opts.force) throw new UsageError(`a config already applies here: ${relative(cwd, existing)}`);
      // Discovery reads SQL with the parsers' scanners (to tell a set's dialect): they load first.
      await loadAdapters();
      const { sets } = discover([], { cwd });
      await Promise.all(sets.map((set) => loadRunnerSettings(set.framework)));
      const runner = sets.map((set) => detectRunnerSettings(set, cwd));
      const { starterConfig } = await import('./init.js');
      writeFileSync(target, starterConfig(sets, checkablePaths(sets, cwd), runner));
      io.out(`wrote twoway.config.yaml\n`);
      if (opts.baseline) io.out(await writeBaseline([], {}, io));
    });

  addCheckOptions(
    program
      .command('baseline')
      .description(`record the current findings in ${BASELINE_FILE}: later runs report only what is not in it`)
      .argument('[paths...]', "repos, folders or migration files (default: the config's paths, else the current directory)")
      .option(
        '-o, --output <file>',
        `where to write it (default: the one check applies, else ${BASELINE_FILE} beside the config, else in the project's folder)`,
      ),
    { since: false },
  )
    .addHelpText(
      'after',
      `\nCommit the file. An entry matches a finding by migration, rule, direction and a fingerprint of the code it
points at (not the line), so edits elsewhere in the file keep it. Give each entry a "reason"; running this again
keeps the reasons of entries that still match and drops stale ones. Hygiene findings are not recorded: they are
reported only for migrations the baseline does not list.\n`,
    )
    .action(async (paths: string[], opts) => {
      io.out(await writeBaseline(paths, opts, io));
    });

  program
    .command('rehearse')
    .description('prove every rollback: run up, down and up again on a real PostgreSQL and diff schema and data')
    .argument('[paths...]', "repos, folders or migration files (default: the config's paths, else the current directory)")
    .option(
      '--database-url <url>',
      'rehearse on this server, in a scratch database twoway creates and drops: postgres:// for PostgreSQL sets (default: embedded PGlite), mysql:// for MySQL sets (SQLite sets run on an embedded SQLite)',
    )
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
    .option('-c, --config <file>', 'config file (its paths, dialect, dialects and ignore apply, as for check)')
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
      if (opts.databaseUrl !== undefined) checkDatabaseUrl(opts.databaseUrl);
      const cwd = io.cwd ?? process.cwd();
      // The same config as check reads (found from the paths, else from here): its sets must be read alike.
      const { config, paths: found } = configAndPaths(cwd, paths, opts.config);
      paths = found;
      if (opts.from !== undefined && opts.only !== undefined) throw new UsageError('--from and --only cannot be combined');
      const onlyFiles = opts.since === undefined ? undefined : filesChangedSince(opts.since, cwd);
      const { notRehearsed, rehearsalFailed, rehearse, ScratchDatabaseError, UnknownMigrationError } = await import('./rehearse/index.js');
      const result = await rehearse(paths, {
        cwd,
        dialect: config?.dialect,
        dialectSource: config?.dialect ? `${config.file} dialect` : undefined,
        dialects: config?.dialects,
        isIgnored: config?.isIgnored,
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
        throw new UsageError(`no migrations to rehearse in ${paths.length ? paths.join(', ') : 'the current directory'}`);
      }
      io.out(
        opts.format === 'json'
          ? (await import('./report/rehearse-json.js')).formatRehearseJson(result)
          : (await import('./report/rehearse-human.js')).formatRehearseHuman(result, { color: io.colour ?? false, verbose: opts.verbose }),
      );
      const unproven = result.migrations.some((m) => rehearsalFailed(m) || notRehearsed(m));
      code = unproven || result.errors.length ? EXIT.findings : EXIT.clean;
    });

  program
    .command('rollback')
    .description('can the release running today go back to <ref>: roll back the code only, or which downs to run first and what they lose')
    .argument('[paths...]', "repos, folders or migration files (default: the config's paths, else the current directory)")
    .requiredOption('--to <git-ref>', 'the release to go back to')
    .option('--database-url <url>', 'read the history table, count the rows each down destroys (a read-only session)')
    .option('-c, --config <file>', 'config file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (paths: string[], opts) => {
      const cwd = io.cwd ?? process.cwd();
      const { config, paths: found } = configAndPaths(cwd, paths, opts.config);
      paths = found;
      if (opts.databaseUrl !== undefined && !opts.databaseUrl.trim())
        throw new UsageError('--database-url is empty (is $DATABASE_URL set?)');
      if (opts.databaseUrl !== undefined) checkDatabaseUrl(opts.databaseUrl);
      const [{ RollbackError, rollbackPlan }, { LiveDatabaseError }, { formatRollbackHuman, formatRollbackJson }] = await Promise.all([
        import('./rollback/index.js'),
        import('./stats/index.js'),
        import('./report/rollback.js'),
      ]);
      const plan = await rollbackPlan(paths, {
        cwd,
        to: opts.to,
        databaseUrl: opts.databaseUrl,
        dialect: config?.dialect,
        dialects: config?.dialects,
        serverVersion: config?.serverVersion,
        isIgnored: config?.isIgnored,
      }).catch((e) => {
        throw e instanceof RollbackError || e instanceof LiveDatabaseError ? new UsageError(e.message) : e;
      });
      io.out(opts.format === 'json' ? formatRollbackJson(plan) : formatRollbackHuman(plan, { color: io.colour ?? false }));
      code = plan.safe ? EXIT.clean : EXIT.findings;
    });

  program
    .command('plan')
    .description('turn a one-way door into a sequence of two-way migrations in its own framework, proven by check (and rehearse)')
    .argument('[migration]', 'the migration: its id, a unique prefix of it, its file name or path')
    .argument('[paths...]', "where its set is: repos or folders (default: the config's paths, else the current directory)")
    .option('--all', 'plan every one-way door among the migrations changed since --since (default: the merge base with the default branch)')
    .option(
      '--since <git-ref>',
      'the release running today: with --all, plan what changed since it; a migration new since it has run in no release, so the plan may take its place',
    )
    .option(
      '--cleanup',
      'plan the contract step dropping the twoway_archive tables earlier plans left, once no one needs to roll back past them',
    )
    .option('--write', 'write the new migrations beside the original (only when the plan passes its proof; nothing is overwritten)')
    .option('--verify', 'also rehearse each new step (up, down, up with rows) on PGlite, or on --database-url')
    .option(
      '--database-url <url>',
      'read table statistics and user triggers from this database (a read-only session, catalog and statistics only): what each archive costs or frees, how long each step takes; with --verify, also rehearse on this server in a scratch database twoway creates and drops',
    )
    .addOption(new Option('--language <language>', 'language of new Knex/TypeORM/Sequelize/node-pg-migrate files').choices(['ts', 'js']))
    .option('--rails-version <x.y>', 'the ActiveRecord::Migration[x.y] of new Rails migrations (default: the newest the folder uses)')
    .option('--app-label <label>', "Django: the app's label (default: the name of the folder holding migrations/)")
    .option('-c, --config <file>', 'config file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .addHelpText(
      'after',
      '\nThe plan is proven in a copy of the project where it replaces the original: `check` must read every new\n' +
        'migration as an expand (or a declared contract) with both rollbacks safe, and with --verify each must\n' +
        'rehearse clean. A plan that fails its proof is not written. twoway never edits or deletes a migration: it\n' +
        'says which original the plan replaces.\n' +
        '\nThe steps take the place of the original, which must not have run: with --database-url its history table\n' +
        'there says so (a migration it lists is not replaced); else git (new since --since or the default branch: no\n' +
        'release ran it; already there: one may have). With migrations after it the steps are numbered between it\n' +
        "and the next one (or chained there: Alembic's revision id, Django's replaces), planned on the schema before it.\n" +
        'Where the names leave no room they go after the newest, planned on the schema the history leaves without it;\n' +
        'a later migration touching what the original changes then fails the proof.\n' +
        '\nWith --database-url the plan says what each archive costs (rows × width, from the table statistics) and, for\n' +
        'each step that goes through a table (index build, validation, batched backfill, copy into an archive), its size,\n' +
        'an estimated duration at a documented throughput and the lock it holds; --cleanup says what each dropped archive\n' +
        'frees. It also reads the user triggers of the tables UPDATE/DELETE steps write, made in migrations or not, so\n' +
        'their restore runs with them off. Only catalog and statistics views are read, in a read-only session.\n',
    )
    .action(async (target: string | undefined, paths: string[], opts) => {
      const cwd = io.cwd ?? process.cwd();
      if (opts.cleanup && opts.all) throw new UsageError('--cleanup plans the archives of the whole set: give it without --all');
      if (!opts.all && !opts.cleanup && !target)
        throw new UsageError('name the migration to plan (its id or path), or give --all or --cleanup');
      if ((opts.all || opts.cleanup) && target) paths = [target, ...paths];
      const { config, paths: found } = configAndPaths(cwd, paths, opts.config);
      paths = found;
      if (opts.databaseUrl !== undefined && !opts.databaseUrl.trim())
        throw new UsageError('--database-url is empty (is $DATABASE_URL set?); leave the flag out to plan without table statistics');
      if (opts.databaseUrl !== undefined) checkDatabaseUrl(opts.databaseUrl);
      const { PlanError, planAll, planCleanup, planMigration, writePlan } = await import('./plan/index.js');
      const { LiveDatabaseError } = await import('./stats/index.js');
      const { formatPlanHuman, formatPlanJson } = await import('./report/plan.js');
      const options = {
        cwd,
        dialect: config?.dialect,
        dialects: config?.dialects,
        serverVersion: config?.serverVersion,
        isIgnored: config?.isIgnored,
        runnerSettings: config?.runnerSettings,
        verify: opts.verify ?? false,
        databaseUrl: opts.databaseUrl,
        since: opts.since,
        writer: { language: opts.language, railsVersion: opts.railsVersion, appLabel: opts.appLabel },
      };
      let plans = await (async () => {
        if (opts.cleanup) return planCleanup(paths, options);
        if (!opts.all) return [await planMigration(target ?? '', paths, options)];
        const ref = opts.since ?? defaultBase(cwd)?.ref;
        if (!ref) throw new UsageError('--all needs --since <git-ref> (no default branch to compare with here)');
        return planAll(filesChangedSince(ref, cwd, paths), paths, options);
      })().catch((e) => {
        throw e instanceof PlanError || e instanceof LiveDatabaseError ? new UsageError(e.message) : e;
      });
      if (opts.write) plans = plans.map((p) => (!p.needed || !p.proof.ok ? p : writePlan(p, cwd)));
      const command = `twoway plan ${opts.cleanup ? '--cleanup' : opts.all ? '--all' : target}`;
      io.out(
        opts.format === 'json'
          ? formatPlanJson(plans)
          : opts.cleanup && !plans.length
            ? 'Nothing to clean up: the migrations leave no twoway_archive table (none made, or a clean-up already drops them).\n'
            : formatPlanHuman(plans, { color: io.colour ?? false, command }),
      );
      code = plans.every((p) => !p.needed || (p.proof.ok && !p.unplanned.length)) ? EXIT.clean : EXIT.findings;
    });

  program
    .command('explain')
    .description('what a rule catches, why it matters, and what to do instead')
    .argument('[rule-id]', 'a rule id; without one, lists every rule')
    .action(async (id?: string) => {
      if (!id) {
        for (const r of allRules) io.out(`${r.id.padEnd(34)} ${r.category.padEnd(16)} ${r.summary}\n`);
        return;
      }
      const rule = ruleById(id);
      if (!rule) throw new UsageError(`unknown rule "${id}"; \`twoway explain\` lists them`);
      io.out((await import('./rules/explain.js')).formatExplain(rule));
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

type Formatter = (result: CheckResult, o: { color: boolean; verbose?: boolean; since?: string }) => string;

/** Each format's code, imported only when that format is asked for. */
const FORMATS: Record<'human' | 'compact' | 'json' | 'sarif' | 'github' | 'markdown' | 'html', () => Promise<Formatter>> = {
  human: async () => (await import('./report/human.js')).formatHuman,
  compact: async () => (await import('./report/compact.js')).formatCompact,
  json: async () => (await import('./report/json.js')).formatJson,
  sarif: async () => (await import('./report/sarif.js')).formatSarif,
  github: async () => (await import('./report/github.js')).formatGithub,
  markdown: async () => (await import('./report/markdown.js')).formatMarkdown,
  html: async () => (await import('./report/html.js')).formatHtml,
};

/** The flags `check`, `report` and `baseline` share: what to analyze, how strictly, and what to report. */
function addCheckOptions(command: Command, { since = true } = {}): Command {
  command
    .option(
      '-c, --config <file>',
      'config file (default: twoway.config.json / .yaml / package.json#twoway, from the paths upwards, else from here)',
    )
    .addOption(
      new Option('--dialect <dialect>', 'SQL dialect of sets whose framework config, file names and folder do not say').choices([
        'postgresql',
        'mysql',
        'sqlite',
      ]),
    )
    .option('--server-version <major>', 'target server major version (e.g. 16)', parseVersion)
    .option(
      '--cache-location <dir>',
      'folder of the check cache (default: node_modules/.cache/twoway of the project, else ~/.cache/twoway)',
    )
    .option('--no-cache', 'parse and replay every migration again, without reading or writing the cache');
  if (!since) return command;
  return command
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run (default: error)').choices(['error', 'warning', 'info']),
    )
    .option('--since <git-ref>', 'report only migrations added or changed since this ref (the whole history is still replayed)')
    .option(
      '--no-evidence',
      "do not read the previous release's code (--since's ref, else the merge base with the default branch) from git",
    )
    .option('--database-url <url>', 'read table sizes from this database (a read-only session, catalog only): lock findings say how long')
    .option(
      '--baseline <file>',
      `the baseline to apply (default: ${BASELINE_FILE} beside the config, else the nearest above the paths, up to the git root)`,
    )
    .option('--no-baseline', 'report every finding, even those the baseline records');
}

interface CheckFlags {
  config?: string;
  /** A path (--baseline), false (--no-baseline; `twoway baseline` itself), else the default file if there is one. */
  baseline?: string | boolean;
  dialect?: Dialect;
  serverVersion?: number;
  failOn?: Severity;
  since?: string;
  evidence?: boolean;
  databaseUrl?: string;
  /** false with --no-cache. */
  cache?: boolean;
  cacheLocation?: string;
}

function loadConfigOrUsage(cwd: string, file?: string, paths: readonly string[] = []): Config | null {
  try {
    return loadConfig(cwd, file, paths);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The config and the paths of a run. With path arguments the config is the one above them (found from where the
 * migrations are, as ESLint does since v10), so `twoway check /srv/app` from anywhere reads /srv/app's config;
 * without, the one above the current directory, whose `paths` are then the default.
 */
function configAndPaths(cwd: string, paths: string[], explicit?: string): { config: Config | null; paths: string[] } {
  for (const p of paths) if (!existsSync(resolve(cwd, p))) throw new UsageError(`no such file or folder: ${p}`);
  const config = loadConfigOrUsage(cwd, explicit, paths);
  if (paths.length || !config?.paths) return { config, paths };
  for (const p of config.paths) if (!existsSync(resolve(cwd, p))) throw new UsageError(`no such file or folder: ${p}`);
  return { config, paths: config.paths };
}

/** Config, then flags over it; runs `check`; the exit code the findings deserve. */
async function runCheck(
  paths: string[],
  flags: CheckFlags,
  io: Io,
): Promise<{ result: CheckResult; exitCode: number; config: Config | null; project: string }> {
  const cwd = io.cwd ?? process.cwd();
  const given = paths;
  const { config, paths: found } = configAndPaths(cwd, paths, flags.config);
  paths = found;
  // A mistyped URL is told before the history is read, not after.
  if (flags.databaseUrl?.trim()) checkDatabaseUrl(flags.databaseUrl);
  const onlyFiles = flags.since === undefined ? undefined : filesChangedSince(flags.since, cwd, paths);
  let result = await check(paths, {
    cwd,
    dialect: flags.dialect ?? config?.dialect,
    dialectSource: flags.dialect ? '--dialect' : config?.dialect ? `${config.file} dialect` : undefined,
    dialects: config?.dialects,
    serverVersion: flags.serverVersion ?? config?.serverVersion,
    rules: config?.rules,
    unknown: config?.unknown,
    runnerSettings: config?.runnerSettings,
    runnerSettingsSource: config?.runnerSettings ? config.file : undefined,
    isIgnored: config?.isIgnored,
    onlyFiles,
    cacheLocation: flags.cache === false ? undefined : resolve(cwd, flags.cacheLocation ?? defaultCacheLocation(cwd)),
    previousRelease: flags.evidence === false ? undefined : previousRelease(flags.since, cwd),
  });
  if (result.sets.length === 0) {
    for (const e of result.errors) io.err(`twoway: ${e.path}: ${e.message}\n`);
    throw new UsageError(`no migrations found in ${paths.length ? paths.join(', ') : 'the current directory'}`);
  }
  if (flags.databaseUrl !== undefined) await addTableSizes(result, flags.databaseUrl);
  if (flags.baseline !== false) {
    const explicit = typeof flags.baseline === 'string' ? flags.baseline : undefined;
    const file = findBaselineFile(cwd, { configRoot: config?.root, project: projectOf(cwd, given), explicit });
    if (explicit && file && !existsSync(file))
      throw new UsageError(`--baseline ${explicit}: no such file (\`twoway baseline\` writes one)`);
    if (file) result = applyBaseline(result, readBaseline(file, cwd), relative(cwd, file) || file, dirname(file), cwd);
  }
  result = pathsAsGiven(result, paths, cwd);
  const failOn = SEVERITY_RANK[flags.failOn ?? config?.failOn ?? 'error'];
  const failing = result.sets.some((s) =>
    s.reports.some((r) => r.findings.some((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= failOn)),
  );
  return { result, exitCode: failing || result.errors.length ? EXIT.findings : EXIT.clean, config, project: projectOf(cwd, given) };
}

/** The folder of the project a run is about, for its baseline: the cwd, or the folder of an argument outside it. */
function projectOf(cwd: string, paths: readonly string[]): string {
  return projectFolder(
    cwd,
    paths.map((p) => lookupFolder(cwd, p)),
  );
}

function readBaseline(file: string, cwd: string): Baseline {
  const shown = relative(cwd, file) || file;
  try {
    return parseBaseline(readFileSync(file, 'utf8'), shown);
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError(e.message);
    throw new UsageError(`${shown}: cannot read the baseline (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** `twoway baseline`: check everything, record what it finds (keeping the reasons of entries that still match). */
async function writeBaseline(paths: string[], flags: CheckFlags & { output?: string }, io: Io): Promise<string> {
  const cwd = io.cwd ?? process.cwd();
  const { result, config, project } = await runCheck(paths, { ...flags, baseline: false, since: undefined }, io);
  // Where check will look for it: the one already there, else beside the config, else in the project's folder.
  const file = flags.output
    ? resolve(cwd, flags.output)
    : (findBaselineFile(cwd, { configRoot: config?.root, project }) ?? resolve(config?.root ?? project, BASELINE_FILE));
  const previous = existsSync(file) ? readBaseline(file, cwd) : undefined;
  const baseline = createBaseline(result, dirname(file), cwd, previous);
  writeReport(formatBaseline(baseline), file, io);
  const shown = relative(cwd, file) || file;
  return `wrote ${shown}: ${plural(baseline.findings.length, 'finding')} of ${plural(baseline.migrations.length, 'migration')} (hygiene is not recorded: it is reported only for migrations not listed there)\n`;
}

/** Table sizes from the live database on the lock findings (a read-only session that reads the catalog only). */
async function addTableSizes(result: CheckResult, url: string): Promise<void> {
  if (!url.trim()) throw new UsageError('--database-url is empty (is $DATABASE_URL set?)');
  const [{ LiveDatabaseError, openReadOnly, tableStats }, { annotateLocks }] = await Promise.all([
    import('./stats/index.js'),
    import('./stats/locks.js'),
  ]);
  const session = await openReadOnly(url).catch((e) => {
    throw e instanceof LiveDatabaseError ? new UsageError(e.message) : e;
  });
  try {
    annotateLocks(result, await tableStats(session));
  } finally {
    await session.close();
  }
}

/** The release running today, for evidence: `--since`'s ref, else where this branch left the default branch. */
/** `--since`'s files (git.ts changedSince), a git failure told as a usage error naming the ref. */
function filesChangedSince(ref: string, cwd: string, paths?: readonly string[]): Set<string> {
  try {
    return changedSince(ref, cwd, paths);
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`--since ${ref}: ${e.message}`);
    throw e;
  }
}

function previousRelease(since: string | undefined, cwd: string): { repo: string; ref: string; commit: string } | undefined {
  const at = repositoryHead(cwd);
  if (!at) return undefined;
  const repo = at.root;
  if (since === undefined) {
    const base = defaultBase(cwd, at.head);
    return base ? { repo, ...base } : undefined;
  }
  try {
    return { repo, ref: since, commit: resolveRef(cwd, since) };
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`--since ${since}: ${e.message}`);
    throw e;
  }
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

/** Each set's root, unless checking it alone would not find the set (an Alembic folder read from alembic.ini): then ".". */
function checkablePaths(sets: readonly MigrationSet[], cwd: string): string[] {
  return sets.map((set) =>
    discover([set.root], { cwd }).sets.some((s) => s.framework === set.framework && s.root === set.root) ? set.root : '.',
  );
}

/** A URL the user typed: what is wrong with it, in one line, before anything connects. */
function checkDatabaseUrl(url: string): void {
  try {
    new URL(url);
    return;
  } catch {
    // WHATWG URL says only "Invalid URL"; the usual mistake is the port.
    const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):([^/?#]*)/i.exec(url)?.[1];
    if (port !== undefined && !(/^\d+$/.test(port) && Number(port) <= 65535))
      throw new UsageError(`--database-url: port "${port}" is out of range (allowed: 0 to 65535)`);
    throw new UsageError('--database-url is not a URL such as postgres://user@host:5432/database');
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
  // `twoway check | head`: the reader left; that is the end of the output, not an error.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(EXIT.clean);
    });
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
