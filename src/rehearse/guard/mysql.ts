// MySQL/MariaDB statements that act outside the scratch database a rehearsal runs in, read from the
// statements' tokens as MySQL's own tokenizer cuts them (sql/tokens.ts; quotes and comments never
// match): server files (SELECT … INTO OUTFILE/DUMPFILE, LOAD DATA/XML, LOAD_FILE()), databases,
// users and privileges, the server's settings (SET GLOBAL/PERSIST), plugins and UDF libraries, other
// servers (CREATE SERVER, FEDERATED/CONNECT/SPIDER tables), table files elsewhere (DATA/INDEX
// DIRECTORY), replication, other sessions, and names qualified with another database. Stored
// program bodies are read too (a statement may start after BEGIN, THEN, ELSE, DO or `;` inside
// them); SQL built at run time (PREPARE … FROM @variable) cannot be, which is why a server rehearsal
// also runs as a user with privileges on the scratch database only.
import { splitStatements } from '../../sql/split.js';
import { type Token, tokenize } from '../../sql/tokens.js';
import type { GuardOptions, OutsideEffect } from './index.js';

type Found = Omit<OutsideEffect, 'offset'> & { at: number };

const DATABASE = 'acts on a database other than the scratch one';
const USERS = 'changes the server’s users and privileges, which every database shares';
const READS = 'reads the database server’s files';
const WRITES = 'writes the database server’s files';
const LIBRARY = 'loads a shared library into the database server';
const FOREIGN = 'connects to another server';
const SERVER = 'acts on the whole database server';
const SETTINGS = 'changes the server’s settings for every database';
const TABLESPACE = 'makes or changes a tablespace: files on the database server';

/** Statements refused by their first words, as `[words, label, reason]`; `*` matches any one word. */
const STATEMENTS: Array<[string[], string, string]> = [
  [['CREATE', 'DATABASE'], 'CREATE DATABASE', 'makes a database outside the scratch one'],
  [['CREATE', 'SCHEMA'], 'CREATE SCHEMA', 'makes a database outside the scratch one'],
  [['DROP', 'DATABASE'], 'DROP DATABASE', DATABASE],
  [['DROP', 'SCHEMA'], 'DROP SCHEMA', DATABASE],
  [['ALTER', 'DATABASE'], 'ALTER DATABASE', DATABASE],
  [['ALTER', 'SCHEMA'], 'ALTER SCHEMA', DATABASE],
  [['USE'], 'USE', 'switches to another database'],
  [['CREATE', 'USER'], 'CREATE USER', USERS],
  [['ALTER', 'USER'], 'ALTER USER', USERS],
  [['DROP', 'USER'], 'DROP USER', USERS],
  [['RENAME', 'USER'], 'RENAME USER', USERS],
  [['CREATE', 'ROLE'], 'CREATE ROLE', USERS],
  [['DROP', 'ROLE'], 'DROP ROLE', USERS],
  [['SET', 'ROLE'], 'SET ROLE', 'acts with the privileges of another role'],
  [['SET', 'DEFAULT', 'ROLE'], 'SET DEFAULT ROLE', USERS],
  [['SET', 'PASSWORD'], 'SET PASSWORD', USERS],
  [['GRANT'], 'GRANT', USERS],
  [['REVOKE'], 'REVOKE', USERS],
  [['INSTALL'], 'INSTALL PLUGIN', LIBRARY],
  [['UNINSTALL'], 'UNINSTALL PLUGIN', LIBRARY],
  [['LOAD', 'DATA'], 'LOAD DATA', READS],
  [['LOAD', 'XML'], 'LOAD XML', READS],
  [['CREATE', 'SERVER'], 'CREATE SERVER', FOREIGN],
  [['ALTER', 'SERVER'], 'ALTER SERVER', FOREIGN],
  [['DROP', 'SERVER'], 'DROP SERVER', FOREIGN],
  [['CREATE', 'TABLESPACE'], 'CREATE TABLESPACE', TABLESPACE],
  [['ALTER', 'TABLESPACE'], 'ALTER TABLESPACE', TABLESPACE],
  [['DROP', 'TABLESPACE'], 'DROP TABLESPACE', TABLESPACE],
  [['CREATE', 'LOGFILE'], 'CREATE LOGFILE GROUP', TABLESPACE],
  [['ALTER', 'INSTANCE'], 'ALTER INSTANCE', SERVER],
  [['SHUTDOWN'], 'SHUTDOWN', SERVER],
  [['RESTART'], 'RESTART', SERVER],
  [['KILL'], 'KILL', 'ends sessions other than the rehearsal’s'],
  [['FLUSH'], 'FLUSH', SERVER],
  [['RESET'], 'RESET', SERVER],
  [['PURGE'], 'PURGE LOGS', SERVER],
  [['BINLOG'], 'BINLOG', SERVER],
  [['CHANGE', 'MASTER'], 'CHANGE MASTER', SERVER],
  [['CHANGE', 'REPLICATION'], 'CHANGE REPLICATION', SERVER],
  [['START', 'SLAVE'], 'START SLAVE', SERVER],
  [['START', 'REPLICA'], 'START REPLICA', SERVER],
  [['STOP', 'SLAVE'], 'STOP SLAVE', SERVER],
  [['STOP', 'REPLICA'], 'STOP REPLICA', SERVER],
  [['START', 'GROUP_REPLICATION'], 'START GROUP_REPLICATION', SERVER],
  [['STOP', 'GROUP_REPLICATION'], 'STOP GROUP_REPLICATION', SERVER],
  [['CACHE', 'INDEX'], 'CACHE INDEX', SERVER],
];

/** Storage engines whose tables live on another server or in arbitrary files. */
const ENGINES: Record<string, string> = {
  FEDERATED: FOREIGN,
  FEDERATEDX: FOREIGN,
  SPIDER: FOREIGN,
  CONNECT: 'reads and writes the database server’s files and other servers',
  S3: 'stores the table in S3',
};

/** Words after which the next name is a table (or a database, when qualified). */
const TABLE_POSITIONS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'TABLES', 'REFERENCES', 'EXISTS', 'TRUNCATE', 'DESCRIBE']);

/** Databases every server has, read-only and filtered by the user's privileges: reading them stays inside. */
const READ_ONLY_DATABASES = new Set(['INFORMATION_SCHEMA']);

/** Tokens after which a new statement starts inside a stored program's body. */
const STATEMENT_STARTS = new Set([';', 'BEGIN', 'THEN', 'ELSE', 'DO', 'LOOP', 'REPEAT']);

export function findMysqlOutsideEffect(sql: string, options: GuardOptions): OutsideEffect | null {
  for (const piece of splitStatements(sql, 'mysql').statements) {
    const found = statementEffect(sql.slice(piece.start, piece.end), options, 0);
    if (found) {
      const { at, ...effect } = found;
      return { ...effect, offset: piece.start + at };
    }
  }
  return null;
}

const isName = (t: Token | undefined) => t !== undefined && (t.kind === 'word' || t.kind === 'name');

function statementEffect(text: string, options: GuardOptions, depth: number): Found | null {
  const tokens = tokenize(text, 'mysql');
  const protectedNames = new Set(options.protectedDatabases.map((d) => d.toUpperCase()));
  const refuse = (label: string, reason: string, token: Token | undefined, always = false): Found | null =>
    options.allowOutsideEffects && !always ? null : { statement: label, reason, at: token?.start ?? 0, always: always || undefined };
  const word = (i: number) => (tokens[i]?.kind === 'word' ? tokens[i]?.value : undefined);

  // A database the URL names is never touched, even with outside effects allowed.
  for (const [i, t] of tokens.entries()) {
    if (!isName(t) || !protectedNames.has(t.value.toUpperCase())) continue;
    const qualifies = tokens[i + 1]?.text === '.' && isName(tokens[i + 2]) && tokens[i - 1]?.text !== '.';
    const named = ['DATABASE', 'SCHEMA', 'USE'].includes(word(i - 1) ?? '') || word(i - 1) === 'EXISTS';
    if (qualifies || named)
      return refuse(
        `a statement naming the database ${asWritten(t)}`,
        'acts on the database the URL names, which rehearsal never touches',
        t,
        true,
      );
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const atStart =
      i === 0 || STATEMENT_STARTS.has(tokens[i - 1]?.kind === 'word' ? (tokens[i - 1]?.value ?? '') : (tokens[i - 1]?.text ?? ''));
    if (atStart && t.kind === 'word') {
      for (const [words, label, reason] of STATEMENTS) {
        if (words.every((w, j) => word(i + j) === w)) return refuse(label, reason, t);
      }
      // CREATE [AGGREGATE] FUNCTION … SONAME: a user-defined function from a shared library.
      if (t.value === 'CREATE' && tokens.slice(i, i + 12).some((x) => x.kind === 'word' && x.value === 'SONAME'))
        return refuse('CREATE FUNCTION … SONAME', LIBRARY, t);
      // SET GLOBAL x = …, SET PERSIST x = …, SET @@global.x = … (a SET statement up to its end).
      if (t.value === 'SET') {
        for (let j = i + 1; j < tokens.length && tokens[j]?.text !== ';'; j++) {
          const w = word(j);
          const scoped = tokens[j - 1]?.text === '@' && tokens[j - 2]?.text === '@';
          if ((w === 'GLOBAL' || w === 'PERSIST' || w === 'PERSIST_ONLY') && (scoped || j === i + 1 || tokens[j - 1]?.text === ','))
            return refuse(`SET ${w}`, SETTINGS, t);
        }
      }
      // PREPARE s FROM 'text': the text is a statement of its own.
      if (t.value === 'PREPARE' && depth < 3) {
        const from = tokens.findIndex((x, j) => j > i && x.kind === 'word' && x.value === 'FROM');
        const literal = from > 0 ? tokens[from + 1] : undefined;
        if (literal?.kind === 'string') {
          const inner = statementEffect(literal.value, options, depth + 1);
          if (inner) return { ...inner, at: literal.start };
        }
      }
    }
    if (t.kind === 'word') {
      if (t.value === 'INTO' && (word(i + 1) === 'OUTFILE' || word(i + 1) === 'DUMPFILE'))
        return refuse(`SELECT … INTO ${word(i + 1)}`, WRITES, t);
      if (t.value === 'LOAD_FILE' && tokens[i + 1]?.text === '(') return refuse('LOAD_FILE()', READS, t);
      if ((t.value === 'DATA' || t.value === 'INDEX') && word(i + 1) === 'DIRECTORY')
        return refuse(`${t.value} DIRECTORY`, 'puts the table’s files in a directory of the database server', t);
      if (t.value === 'ENGINE') {
        const value = tokens[i + 1]?.text === '=' ? tokens[i + 2] : tokens[i + 1];
        const engine = value && isName(value) ? value.value.toUpperCase() : '';
        const reason = ENGINES[engine];
        if (reason) return refuse(`ENGINE=${engine}`, reason, t);
      }
    }
    // db.table.column anywhere, or db.table where a table goes: a name in another database.
    if (isName(t) && tokens[i - 1]?.text !== '.' && tokens[i + 1]?.text === '.' && isName(tokens[i + 2])) {
      const threePart = tokens[i + 3]?.text === '.' && isName(tokens[i + 4]);
      const previous = tokens[i - 1];
      const tablePosition =
        previous !== undefined &&
        ((previous.kind === 'word' && TABLE_POSITIONS.has(previous.value)) ||
          (previous.text === ',' && (word(i - 3) === 'TABLE' || word(i - 3) === 'TABLES')));
      const database = t.value.toUpperCase();
      if ((threePart || tablePosition) && !READ_ONLY_DATABASES.has(database))
        return refuse(
          `${t.text}.${tokens[i + 2]?.text}`,
          `names a table in the database ${asWritten(t)}, ${DATABASE.replace('acts on ', '')}`,
          t,
        );
    }
  }
  return null;
}

/** A name as the migration wrote it, without its quotes. */
function asWritten(t: Token): string {
  return t.kind === 'word' ? t.text : t.value;
}
