// The command line: parse flags, call the library, print, return the exit code. Nothing else.
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { check } from './check.js';
import { SEVERITY_RANK, type Severity } from './findings.js';
import { rehearsalFailed, rehearse, ScratchDatabaseError } from './rehearse/index.js';
import { formatHuman } from './report/human.js';
import { formatJson } from './report/json.js';
import { formatRehearseHuman } from './report/rehearse-human.js';
import { formatRehearseJson } from './report/rehearse-json.js';
import { formatExplain } from './rules/explain.js';
import { allRules, ruleById } from './rules/index.js';

export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;

class UsageError extends Error {}

export async function main(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void; colour?: boolean } = defaultIo(),
): Promise<number> {
  let code: number = EXIT.clean;
  const program = new Command('twoway')
    .description('Tells whether each database migration is a two-way door: safe to roll back the code, the database, or both.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  program
    .command('check')
    .description('lint migrations: phase, both rollback answers, locks, and the safe alternative')
    .argument('[paths...]', 'repos, folders or migration files (default: the current directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .addOption(new Option('--dialect <dialect>', 'SQL dialect when the framework does not say').choices(['postgresql', 'mysql', 'sqlite']))
    .option('--server-version <major>', 'target server major version (e.g. 16)', parseVersion)
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the run').choices(['error', 'warning', 'info']).default('error'),
    )
    .option('--verbose', 'also show suppressed findings')
    .action(async (paths: string[], opts) => {
      for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
      const result = await check(paths, { dialect: opts.dialect, serverVersion: opts.serverVersion });
      if (result.sets.length === 0) {
        for (const e of result.errors) io.err(`twoway: ${e.path}: ${e.message}\n`);
        throw new UsageError(`no migrations found in ${paths.length ? paths.join(', ') : 'the current directory'}`);
      }
      io.out(opts.format === 'json' ? formatJson(result) : formatHuman(result, { color: io.colour ?? false, verbose: opts.verbose }));
      const failOn = SEVERITY_RANK[opts.failOn as Severity];
      const failing = result.sets.some((s) =>
        s.reports.some((r) => r.findings.some((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= failOn)),
      );
      code = failing || result.errors.length ? EXIT.findings : EXIT.clean;
    });

  program
    .command('rehearse')
    .description('prove every rollback: run up, down and up again on a real PostgreSQL and diff schema and data')
    .argument('[paths...]', 'repos, folders or migration files (default: the current directory)')
    .option('--database-url <url>', 'rehearse on this server, in a scratch database twoway creates and drops (default: embedded PGlite)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (paths: string[], opts) => {
      for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
      const result = await rehearse(paths, { databaseUrl: opts.databaseUrl }).catch((e) => {
        throw e instanceof ScratchDatabaseError ? new UsageError(e.message) : e;
      });
      if (result.migrations.length === 0) {
        for (const e of result.errors) io.err(`twoway: ${e.path}: ${e.message}\n`);
        throw new UsageError(`no PostgreSQL migrations found in ${paths.length ? paths.join(', ') : 'the current directory'}`);
      }
      io.out(opts.format === 'json' ? formatRehearseJson(result) : formatRehearseHuman(result, { color: io.colour ?? false }));
      code = result.migrations.some(rehearsalFailed) || result.errors.length ? EXIT.findings : EXIT.clean;
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

function parseVersion(value: string): number {
  const major = Number.parseInt(value, 10);
  if (!Number.isFinite(major) || major <= 0) throw new UsageError(`--server-version must be a major version such as 16, not "${value}"`);
  return major;
}

function defaultIo() {
  return {
    out: (s: string) => process.stdout.write(s),
    err: (s: string) => process.stderr.write(s),
    colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}
