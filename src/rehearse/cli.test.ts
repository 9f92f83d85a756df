import { describe, expect, it } from 'vitest';
import { main } from '../cli.js';

const run = async (argv: string[]) => {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
};

// Each run starts its own PGlite, as the CLI does.
describe('twoway rehearse', { timeout: 120_000 }, () => {
  it('prints the JSON report and exits 1 when a down loses data', async () => {
    const { code, out } = await run(['rehearse', 'src/rehearse/fixtures/lossy-down', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ version: 2, engine: 'pglite', statementTimeout: 5, allowOutsideEffects: false });
    expect(report.serverVersion).toMatch(/^\d+\.\d+/);
    expect(Object.keys(report.migrations[1])).toEqual([
      'id',
      'path',
      'files',
      'up',
      'down',
      'downSource',
      'reup',
      'schemaRestored',
      'schemaDiff',
      'lostData',
      'lostNewData',
      'error',
      'skipped',
      'notes',
    ]);
    expect(report.migrations[1]).toMatchObject({
      id: '2',
      up: 'ok',
      down: 'ok',
      downSource: 'written',
      reup: 'ok',
      schemaRestored: false,
      lostData: [{ table: 'users', column: 'full_name', rows: 4 }],
      lostNewData: [],
      error: null,
      skipped: null,
    });
  });

  it('prints one line per migration and exits 0 when every rollback holds', async () => {
    const { code, out } = await run(['rehearse', 'src/rehearse/fixtures/reversible']);
    expect(code).toBe(0);
    expect(out).toContain(
      'src/rehearse/fixtures/reversible/3_rename_issued_on.up.sql  up ok · down ok · re-up ok · schema restored · data kept',
    );
    expect(out).toContain('src/rehearse/fixtures/reversible/5_add_amount_index.up.sql  up ok · down missing · re-up skipped');
    expect(out).toContain('5 migration(s) rehearsed: none failed, 1 without a down');
  });

  it('refuses a database URL it cannot create a scratch database on, with exit 2', async () => {
    const { code, err } = await run(['rehearse', 'examples/golang-migrate', '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(code).toBe(2);
    expect(err).toMatch(/^twoway: cannot connect to postgres:\/\/nobody@127\.0\.0\.1:1\/none: /);
  });
});
