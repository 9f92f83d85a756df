// dbmate and goose keep up and down in one file, split by marker comments on their own line.
// The markers are the frameworks' own syntax (line comments), not SQL structure: each tool finds them line by line too.
import type { Migration } from '../migration.js';
import { sqlSource } from './sql-files.js';

export interface Marker {
  /** The marker's words after `--`, e.g. `migrate:up transaction:false` or `+goose Up`. */
  text: string;
  /** 1-based line of the marker. */
  line: number;
  /** Character offset of the line after the marker. */
  bodyStart: number;
  /** Character offset of the marker line's first character. */
  lineStart: number;
}

/** Every line comment whose text (after `--` and spaces) starts with `prefix`. */
export function markerLines(text: string, prefix: string): Marker[] {
  const out: Marker[] = [];
  let lineStart = 0;
  let line = 1;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const content = text.slice(lineStart, lineEnd).trim();
    if (content.startsWith('--')) {
      const words = content.slice(2).trim();
      if (words.toLowerCase().startsWith(prefix.toLowerCase())) {
        out.push({ text: words, line, bodyStart: newline < 0 ? text.length : newline + 1, lineStart });
      }
    }
    if (newline < 0) break;
    lineStart = newline + 1;
    line++;
  }
  return out;
}

/** The up and down of a sectioned file: each section runs from the line after its marker to the next section marker. */
export function sectionedMigration(
  file: { path: string; name: string; version: string; text: string },
  framework: 'dbmate' | 'goose',
  sections: { all: Marker[]; up: Marker; down: Marker | undefined },
  transactional: boolean,
): Omit<Migration, 'dialect'> {
  const section = (m: Marker) => {
    const next = sections.all.find((o) => o.lineStart > m.lineStart);
    return sqlSource(file.path, file.text.slice(m.bodyStart, next ? next.lineStart : file.text.length), m.line + 1);
  };
  const name = file.name
    .slice(file.version.length)
    .replace(/^_/, '')
    .replace(/\.sql$/, '');
  return {
    id: file.version,
    name,
    framework,
    path: file.path,
    files: [file.path],
    up: section(sections.up),
    down: sections.down ? section(sections.down) : null,
    transactional,
  };
}
