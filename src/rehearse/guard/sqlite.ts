// SQLite statements that reach outside the database a rehearsal runs in, read from the statements'
// tokens (sql/tokens.ts): ATTACH (opens or creates another database file), VACUUM INTO (writes a
// file), load_extension() (loads a shared library), and names qualified with a schema other than the
// database's own (`main`, `temp`): an attached database. The embedded engine (sql.js) has no file
// system of the machine to reach, but the guard gives the same answer on every engine of the dialect.
import { splitStatements } from '../../sql/split.js';
import { tokenize } from '../../sql/tokens.js';
import type { GuardOptions, OutsideEffect } from './index.js';

const OWN_SCHEMAS = new Set(['MAIN', 'TEMP']);

export function findSqliteOutsideEffect(sql: string, options: GuardOptions): OutsideEffect | null {
  if (options.allowOutsideEffects) return null;
  for (const piece of splitStatements(sql, 'sqlite').statements) {
    const tokens = tokenize(sql.slice(piece.start, piece.end), 'sqlite');
    const word = (i: number) => (tokens[i]?.kind === 'word' ? tokens[i]?.value : undefined);
    for (const [i, t] of tokens.entries()) {
      const offset = piece.start + t.start;
      if (i === 0 && t.value === 'ATTACH')
        return { statement: 'ATTACH DATABASE', reason: 'opens or creates another database file', offset };
      if (i === 0 && t.value === 'DETACH') return { statement: 'DETACH DATABASE', reason: 'acts on another database file', offset };
      if (t.kind === 'word' && t.value === 'VACUUM' && tokens.slice(i + 1, i + 3).some((x) => x.kind === 'word' && x.value === 'INTO'))
        return { statement: 'VACUUM INTO', reason: 'writes a copy of the database to a file', offset };
      if (t.kind === 'word' && t.value === 'LOAD_EXTENSION' && tokens[i + 1]?.text === '(')
        return { statement: 'load_extension()', reason: 'loads a shared library into the process', offset };
      const qualified =
        (t.kind === 'word' || t.kind === 'name') &&
        tokens[i - 1]?.text !== '.' &&
        tokens[i + 1]?.text === '.' &&
        tokens[i + 3]?.text === '.';
      const inTablePosition =
        (t.kind === 'word' || t.kind === 'name') &&
        tokens[i + 1]?.text === '.' &&
        ['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'EXISTS', 'REFERENCES', 'VIEW', 'INDEX', 'TRIGGER'].includes(word(i - 1) ?? '');
      if ((qualified || inTablePosition) && !OWN_SCHEMAS.has(t.value.toUpperCase()))
        return { statement: `${t.text}.${tokens[i + 2]?.text ?? ''}`, reason: `names the attached database ${t.value}`, offset };
    }
  }
  return null;
}
