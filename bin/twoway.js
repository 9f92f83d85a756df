#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// The parsers are WebAssembly (libpg-query, tree-sitter, Prism). V8 compiles them twice by default: a quick
// baseline (Liftoff), then optimised code in the background. For a CLI run the second compile costs more CPU and
// memory than it ever saves (measured in bench/scale.ts: half the start-up and 40 MB on a small folder, and
// faster on the whole PostgreSQL corpus). It must be set before any WebAssembly module is compiled.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--optimize-for-size');
// The CLI as one bundle of twoway's own modules (the dependencies stay in node_modules): one file to resolve and
// read at start-up instead of about 180 (`npm run build` writes it; bench/bench.ts measures the start-up).
const { main } = await import('../dist/cli-bundle.js');

process.exitCode = await main(process.argv.slice(2));
