// `npm run build`, second step: the CLI as one bundle of twoway's own modules (dist/cli-bundle.js, which
// bin/twoway.js runs), the dependencies left in node_modules. Start-up then reads one file instead of ~180
// (bench/bench.ts measures it). The command and format code imported on demand stays in chunks of its own.
// The chunks sit in dist/ itself: modules that find files relative to their own place (meta.ts reads
// ../package.json) keep the depth tsc gives them. The previous build's chunks are removed first.
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
for (const name of readdirSync(dist)) if (/^cli-(bundle|chunk-|[\w-]+-[A-Z0-9]{8}\.js)/.test(name)) rmSync(join(dist, name));
await build({
  entryPoints: [join(root, 'src/cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  splitting: true,
  outdir: dist,
  entryNames: 'cli-bundle',
  chunkNames: 'cli-[name]-[hash]',
  logLevel: 'warning',
});
