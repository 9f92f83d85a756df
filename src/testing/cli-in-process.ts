// The CLI called in the test's own process (main() with captured output), and the JSON schema a command's output
// must satisfy: what the plan, check and rollback tests share.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { main } from '../cli.js';
import { repoRoot } from './projects.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;

/** `twoway <args>` run in `cwd`: its exit code and what it printed. */
export async function twoway(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

/** A validator for docs/<name>.schema.json (`plan`, `report`, `rollback`). */
export function schemaValidator(name: 'plan' | 'report' | 'rollback') {
  return new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repoRoot, `docs/${name}.schema.json`), 'utf8')));
}
