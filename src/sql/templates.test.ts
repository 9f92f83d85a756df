import { beforeAll, describe, expect, it } from 'vitest';
import { sqlSource } from '../frameworks/sql-files.js';
import { loadSqlParsers, parseSql } from './index.js';
import { maskTemplates } from './templates.js';

beforeAll(loadSqlParsers);

const mask = (text: string) => maskTemplates(sqlSource('m.sql', text));

describe('template placeholders', () => {
  it('replaces a Go template action by an identifier of the same length', () => {
    const text = 'ALTER TABLE {{ index .Options "Namespace" }}.users ADD COLUMN age int;';
    const masked = mask(text);
    expect(masked).toBe('ALTER TABLE tmpl_namespace__________________.users ADD COLUMN age int;');
    expect(masked).toHaveLength(text.length);
  });

  it('replaces one inside a quoted identifier, and Flyway/goose dollar-brace placeholders', () => {
    expect(mask('CREATE INDEX i ON "{{ .Schema }}".users (id);')).toBe('CREATE INDEX i ON "tmpl_schema__".users (id);');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the SQL holds a Flyway placeholder on purpose
    expect(mask('DROP TABLE ${schema}.old;')).toBe('DROP TABLE tmpl_sche.old;');
  });

  it('leaves string literals, array literals, dollar quotes and comments alone', () => {
    for (const text of [
      "SELECT '{{ .X }}';",
      "SELECT '{{1,2},{3,4}}'::int[][];",
      'SELECT $$ {{ .X }} $$;',
      '-- {{ .X }}\nSELECT 1;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the SQL holds a Flyway placeholder on purpose
      '/* ${x} */ SELECT 1;',
    ])
      expect(mask(text)).toBe(text);
  });

  it('keeps lines and columns: a statement after a multi-line action is found where it is', () => {
    const text = 'CREATE TABLE {{ index .Options\n  "Namespace" }}.x (id int);\nALTER TABLE x DROP COLUMN id;';
    const masked = mask(text);
    expect(masked.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    const parsed = parseSql(sqlSource('m.sql', masked), 'postgresql');
    expect(parsed.errors).toEqual([]);
    expect(parsed.ops.map((op) => [op.kind, op.span.line, op.span.column])).toEqual([
      ['CreateTable', 1, 1],
      ['DropColumn', 3, 1],
    ]);
  });
});
