import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, findConfigFile, loadConfig } from './config.js';
import { tempProject as project } from './testing/projects.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('finding the config', () => {
  it('is found from the working directory upwards', () => {
    const dir = project({ 'twoway.config.json': '{"failOn": "warning"}', 'services/api/db/.keep': '' });
    expect(findConfigFile(join(dir, 'services/api/db'))).toBe(join(dir, 'twoway.config.json'));
    expect(loadConfig(join(dir, 'services/api'))?.file).toBe('../../twoway.config.json');
  });

  it('a package.json without a "twoway" key is not a config, and the search goes on upwards', () => {
    const dir = project({ 'twoway.config.yaml': 'failOn: info\n', 'app/package.json': '{"name": "app"}' });
    expect(loadConfig(join(dir, 'app'))?.failOn).toBe('info');
  });

  it('reads package.json#twoway', () => {
    const dir = project({ 'package.json': '{"name": "app", "twoway": {"dialect": "mysql", "serverVersion": "8.0"}}' });
    expect(loadConfig(dir)).toMatchObject({ file: 'package.json', dialect: 'mysql', serverVersion: 8 });
  });

  it('no config is not an error', () => {
    const dir = project({ 'db/.keep': '' });
    expect(findConfigFile(join(dir, 'db'))).toSatisfy((f: string | null) => f === null || !f.startsWith(dir));
  });
});

describe('reading the config', () => {
  it('reads every key of a YAML config; paths and globs are relative to the config file', () => {
    const dir = project({
      'twoway.config.yaml': [
        'dialect: postgresql',
        'serverVersion: "15"',
        'rules:',
        '  drop-column: warning',
        'failOn: warning',
        'ignore:',
        '  - db/migrate/2019*',
        'paths: [db/migrate]',
        '',
      ].join('\n'),
      'db/.keep': '',
    });
    const config = loadConfig(join(dir, 'db'));
    expect(config).toMatchObject({ dialect: 'postgresql', serverVersion: 15, rules: { 'drop-column': 'warning' }, failOn: 'warning' });
    expect(config?.paths).toEqual(['migrate']);
    expect(config?.isIgnored?.('migrate/20190101_init.sql')).toBe(true);
    expect(config?.isIgnored?.('migrate/20200101_init.sql')).toBe(false);
  });
});

describe('per-folder dialects', () => {
  it('reads `dialects`, with each folder relative to the config file', () => {
    const dir = project({ 'twoway.config.yaml': 'dialects:\n  db/mysql: mysql\n  .: sqlite\n', 'db/.keep': '' });
    expect(loadConfig(join(dir, 'db'))?.dialects).toEqual([
      { folder: 'mysql', dialect: 'mysql', source: '../twoway.config.yaml dialects' },
      { folder: '..', dialect: 'sqlite', source: '../twoway.config.yaml dialects' },
    ]);
  });

  it('a dialect twoway does not read is an error at its line', () => {
    const dir = project({ 'twoway.config.yaml': 'failOn: error\ndialects:\n  db: oracle\n' });
    expect(errorOf(() => loadConfig(dir))).toMatch(/^twoway\.config\.yaml:3: "dialects\.db": .*"postgresql"/);
  });
});

describe('a config with a mistake is an error naming the file, the line and the key', () => {
  it('an unknown key in YAML', () => {
    const dir = project({ 'twoway.config.yaml': 'dialect: postgresql\nfailon: warning\n' });
    expect(errorOf(() => loadConfig(dir))).toMatch(/^twoway\.config\.yaml:2: unknown key "failon"/);
  });

  it('an unknown key in JSON, on the line it is written', () => {
    const dir = project({ 'twoway.config.json': '{\n  "dialect": "postgresql",\n\n  "rule": {}\n}\n' });
    expect(errorOf(() => loadConfig(dir))).toMatch(/^twoway\.config\.json:4: unknown key "rule"/);
  });

  it('a bad value names the key and the allowed values', () => {
    const dir = project({ 'twoway.config.yaml': 'dialect: oracle\n' });
    expect(errorOf(() => loadConfig(dir))).toMatch(/^twoway\.config\.yaml:1: "dialect": .*"postgresql"/);
  });

  it('a bad severity inside "rules" points at that rule', () => {
    const dir = project({ 'twoway.config.json': '{\n  "rules": {\n    "drop-column": "fatal"\n  }\n}\n' });
    expect(errorOf(() => loadConfig(dir))).toMatch(/^twoway\.config\.json:3: "rules\.drop-column": /);
  });

  it('an unknown rule id', () => {
    const dir = project({ 'twoway.config.yaml': 'rules:\n  drop-colum: off\n' });
    expect(errorOf(() => loadConfig(dir))).toBe('twoway.config.yaml:2: unknown rule "drop-colum" in "rules" (`twoway explain` lists them)');
  });

  it('package.json#twoway: the key path includes "twoway"', () => {
    const dir = project({ 'package.json': '{\n  "name": "x",\n  "twoway": {\n    "ignore": "db/*"\n  }\n}\n' });
    expect(errorOf(() => loadConfig(dir))).toMatch(/^package\.json:4: "twoway\.ignore": /);
  });

  it('a glob in a list points at its own line', () => {
    const dir = project({ 'twoway.config.yaml': 'ignore:\n  - a/*\n  - ""\n' });
    expect(errorOf(() => loadConfig(dir))).toMatch(/^twoway\.config\.yaml:3: "ignore\.1": /);
  });

  it('broken syntax', () => {
    expect(errorOf(() => loadConfig(project({ 'twoway.config.json': '{\n  "dialect": "mysql"\n  "failOn": "error"\n}\n' })))).toMatch(
      /^twoway\.config\.json:3: not valid JSON/,
    );
    expect(errorOf(() => loadConfig(project({ 'twoway.config.yaml': 'rules:\n  a: [\n' })))).toMatch(
      /^twoway\.config\.yaml:\d+: not valid YAML/,
    );
  });

  it('a YAML alias bomb is refused in one line, not expanded', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of [...'bcdefgh'].entries()) {
      const prev = 'abcdefgh'[i];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(errorOf(() => loadConfig(project({ 'twoway.config.yaml': `${levels.join('\n')}\n` })))).toBe(
      'twoway.config.yaml: YAML aliases expand too far (more than 100 uses): write the values out',
    );
  });

  it('serverVersion: a number such as 9.6 is a version; what is not one is named with what is allowed', () => {
    expect(loadConfig(project({ 'twoway.config.yaml': 'serverVersion: 9.6\n' }))?.serverVersion).toBe(9);
    expect(loadConfig(project({ 'twoway.config.yaml': 'serverVersion: "16.2"\n' }))?.serverVersion).toBe(16);
    expect(errorOf(() => loadConfig(project({ 'twoway.config.yaml': 'serverVersion: latest\n' })))).toBe(
      'twoway.config.yaml:1: "serverVersion": "latest" is not allowed (expected a server version such as 16, "9.6" or "8.0")',
    );
  });
});

describe('runner timeouts', () => {
  it('lockTimeout and statementTimeout become the settings the runner applies', () => {
    const dir = project({ 'twoway.config.json': JSON.stringify({ lockTimeout: '5s', statementTimeout: '15min' }) });
    expect(loadConfig(dir)?.runnerSettings).toEqual({ lock_timeout: '5s', statement_timeout: '15min' });
  });
  it('a value that is no duration names the key', () => {
    const dir = project({ 'twoway.config.json': '{"lockTimeout": "soon"}' });
    const message = errorOf(() => loadConfig(dir));
    expect(message).toContain('"lockTimeout"');
    expect(message).toContain('a duration such as "5s"');
  });
});
