// twoway's own name, version and where its docs live, for reports that link back (SARIF, HTML).
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string; homepage: string; repository: { url: string } };

/** https://github.com/<owner>/<repo>, from package.json's repository. */
const repositoryUrl = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

export const TOOL = { name: 'twoway', version: pkg.version, informationUri: pkg.homepage } as const;

/** A file of the repository's docs, e.g. `docs/ci.md`. */
export function docsUrl(path: string): string {
  return `${repositoryUrl}/blob/main/${path}`;
}

/** The rule's docs page (docs/rules/<id>.md, generated from the rule's metadata). */
export function ruleDocsUrl(ruleId: string): string {
  return docsUrl(`docs/rules/${ruleId}.md`);
}
