// `npm run docs`: regenerates docs/rules/ from the rules' metadata.
import { resolve } from 'node:path';
import { writeRuleDocs } from '../src/rules/docs.js';
import { allRules } from '../src/rules/index.js';

const dir = resolve(import.meta.dirname, '../docs/rules');
writeRuleDocs(dir, allRules);
console.log(`wrote ${allRules.length + 1} files to docs/rules/`);
