import { describe, expect, it } from 'vitest';
import { SourceMap } from './source-map.js';

describe('SourceMap', () => {
  it('a source that starts mid-line (SQL in a JS string) shifts columns of its first line only', () => {
    const map = new SourceMap({ path: 'm.js', text: 'SELECT 1;\nSELECT 2;', startLine: 4, startColumn: 20, language: 'sql' });
    expect(map.position(7)).toEqual({ line: 4, column: 27 });
    expect(map.position(17)).toEqual({ line: 5, column: 8 });
  });

  it('without startColumn, columns count from 1', () => {
    const map = new SourceMap({ path: 'm.sql', text: 'SELECT 1;', startLine: 1, language: 'sql' });
    expect(map.position(0)).toEqual({ line: 1, column: 1 });
  });
});
