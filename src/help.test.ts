import { describe, expect, it } from 'vitest';
import { code, help, parseFix, printable } from './help.js';

describe('help``', () => {
  it('literal line breaks make its lines; a string put in is one line, its controls escaped', () => {
    const name = 'evil\n# Heading\u001b[31m';
    const h = help`Stop using ${name} first:\nDROP TABLE ${name};\nThen release.`;
    expect(h.parts).toEqual([
      { code: false, text: 'Stop using evil\\n# Heading\\u001b[31m first:' },
      { code: true, text: 'DROP TABLE evil\\n# Heading\\u001b[31m;', language: 'sql' },
      { code: false, text: 'Then release.' },
    ]);
    expect(h.text.split('\n')).toHaveLength(3);
  });

  it('code() keeps its lines and language; a line ending in ":" inside it stays code', () => {
    const h = help`Build it concurrently:\n${code('ruby', 'disable_ddl_transaction!\n\ndef change:\nend')}`;
    expect(h.parts).toEqual([
      { code: false, text: 'Build it concurrently:' },
      { code: true, text: 'disable_ddl_transaction!\n\ndef change:\nend', language: 'ruby' },
    ]);
  });

  it('nested help splices in: a fragment starting with a line break continues a code line, prose after code stays prose', () => {
    const setDefault = help`\nALTER TABLE t ALTER COLUMN a SET DEFAULT 1;`;
    const first = help`Keep the type:\nALTER TABLE t ADD CONSTRAINT c CHECK (x);`;
    const second = help`Expand/contract: add a column:\nALTER TABLE t ADD COLUMN b int;`;
    expect(help`Add it:\nALTER TABLE t ADD COLUMN a int;${setDefault}\nUPDATE t SET a = 1;`.parts).toEqual([
      { code: false, text: 'Add it:' },
      {
        code: true,
        text: 'ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ALTER COLUMN a SET DEFAULT 1;\nUPDATE t SET a = 1;',
        language: 'sql',
      },
    ]);
    expect(help`${first}\n${second}`.parts.map((p) => [p.code, p.text.split('\n')[0]])).toEqual([
      [false, 'Keep the type:'],
      [true, 'ALTER TABLE t ADD CONSTRAINT c CHECK (x);'],
      [false, 'Expand/contract: add a column:'],
      [true, 'ALTER TABLE t ADD COLUMN b int;'],
    ]);
  });

  it('a plain fix string reads as before: first line prose, then SQL runs and prose lines ending in "." or ":"', () => {
    expect(parseFix('Do this:\nCOMMIT;\n-- a comment:\nThen that.')).toEqual([
      { code: false, text: 'Do this:' },
      { code: true, text: 'COMMIT;\n-- a comment:', language: 'sql' },
      { code: false, text: 'Then that.' },
    ]);
    expect(printable('a\tb\r\u2028')).toBe('a\\tb\\r\\u2028');
  });
});
