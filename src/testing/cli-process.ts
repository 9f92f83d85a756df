// The CLI in a process of its own, as bin/twoway.js runs it (from the sources, through tsx): for what
// only a real process shows, signals and exit codes.
import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from './projects.js';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cliProcess(args: string[], cwd: string = repoRoot): { child: ChildProcess; exited: Promise<CliExit> } {
  const main = `import(${JSON.stringify(`${repoRoot}/src/cli.ts`)}).then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', main, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<CliExit>((done) => child.on('exit', (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, exited };
}
