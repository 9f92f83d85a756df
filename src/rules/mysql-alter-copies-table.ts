import { help } from '../help.js';
import type { TypeRef } from '../ir.js';
import { qnameText } from '../ir.js';
import { columnExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

// InnoDB (MySQL 8, MariaDB 10.11) changes a column's type in place only for a few changes; every other
// MODIFY/CHANGE of the type copies the table (ALGORITHM=COPY), blocking writes until the copy is done.
const COPY_LOCK =
  'copies the whole table (ALGORITHM=COPY): InnoDB takes LOCK=SHARED for the duration, so reads go on but every INSERT, UPDATE and DELETE waits until the copy is done';

/** The type's name as written, without its length: VARCHAR(50) → VARCHAR, TEXT → TEXT. */
function baseName(t: TypeRef): string {
  return (t.text.split('(')[0] ?? '').trim().toUpperCase();
}

function sameType(a: TypeRef, b: TypeRef): boolean {
  return (
    a.name === b.name &&
    baseName(a) === baseName(b) &&
    a.args.join(',') === b.args.join(',') &&
    (a.values ?? []).join('\u0000') === (b.values ?? []).join('\u0000')
  );
}

/**
 * Why the change stays in place, or null when InnoDB copies the table. A longer VARCHAR/VARBINARY keeps
 * its length prefix (1 byte up to 255 bytes, 2 above): in place when both lengths are on the same side of
 * 255 bytes whatever the character set (up to 4 bytes a character in utf8mb4). ENUM members appended at
 * the end are a catalog change while the member count stays within 255 (one byte per value).
 */
function inPlace(old: TypeRef, next: TypeRef): string | null {
  const kind = baseName(old);
  if ((kind === 'VARCHAR' || kind === 'VARBINARY') && baseName(next) === kind) {
    const [from, to] = [old.args[0], next.args[0]];
    if (from === undefined || to === undefined || to < from) return null;
    const perChar = kind === 'VARCHAR' ? 4 : 1;
    if (to * perChar <= 255 || from >= 256) return `a longer ${kind} keeps its length prefix`;
    return null;
  }
  if (kind === 'ENUM' && baseName(next) === 'ENUM' && old.values && next.values) {
    const appended = old.values.every((v, i) => next.values?.[i] === v);
    if (appended && next.values.length <= 255) return 'ENUM members appended at the end';
  }
  return null;
}

export default defineRule({
  id: 'mysql-alter-copies-table',
  category: 'locking',
  severity: 'error',
  summary: 'MySQL/MariaDB MODIFY or CHANGE of a column type that InnoDB cannot do in place copies the table, blocking writes throughout.',
  lock: 'ALGORITHM=COPY with LOCK=SHARED: reads continue, writes wait for the whole copy; an exclusive metadata lock at the start and the end.',
  direction: 'both',
  dialects: ['mysql'],
  kinds: ['AlterColumnType'],
  docs: `
\`ALTER TABLE … MODIFY\` / \`CHANGE\` restates a column. InnoDB (MySQL 8.0, MariaDB 10.11) does
only a few type changes without copying the table:

| change | algorithm | writes |
|---|---|---|
| the same type restated (only NULL/DEFAULT/name differ) | INSTANT or INPLACE | go on |
| a longer \`VARCHAR\`/\`VARBINARY\` on the same side of 255 bytes (the length prefix stays 1 or 2 bytes) | INPLACE (MySQL), INSTANT (MariaDB) | go on |
| \`ENUM\` members appended at the end (255 members at most) | INSTANT | go on |
| anything else: \`INT\`→\`BIGINT\`, \`VARCHAR(50)\`→\`VARCHAR(100)\` in utf8mb4 (200 → 400 bytes), \`VARCHAR\`→\`TEXT\`, a shorter type, an ENUM member removed or reordered | **COPY** | **blocked for the whole copy** |

\`ALGORITHM=COPY\` builds a new table row by row and swaps it in: reads continue
(\`LOCK=SHARED\`), every write waits until the last row is copied, and the table needs its size
again in free disk. MariaDB widens integers in place only for \`ROW_FORMAT=REDUNDANT\` tables, not
the default DYNAMIC; twoway assumes the default. The character set is not known from a
migration: twoway counts 4 bytes a character (utf8mb4) for the 255-byte limit.

Writing \`ALGORITHM=INPLACE\` (or \`INSTANT\`, \`NOCOPY\`) on such a change makes the server refuse
it (\`ALGORITHM=INPLACE is not supported\`) instead of copying: a safe guard, and a migration that
fails. Writing \`ALGORITHM=COPY\` copies even a change that could be in place.

Do instead: an online schema change tool (\`gh-ost\`, \`pt-online-schema-change\`) copies in the
background and swaps at the end; or expand/contract with a new column, backfilled in batches.
Add \`ALGORITHM=INPLACE, LOCK=NONE\` to the statements you expect to be online, so that one that
is not fails instead of blocking writes. With \`--database-url\` the finding gives the table's
size and an estimated duration; a small table turns it into info.

A table created in the same migration holds no rows: no finding.`,
  check(op, ctx) {
    // CHANGE old new …: the statement renames first (RenameColumn), the column existed under its old name.
    const prev = ctx.ops[ctx.index - 1];
    const renamed = prev?.kind === 'RenameColumn' && prev.span === op.span && prev.newName === op.column ? prev.column : op.column;
    if (!columnExistedBefore(ctx, op.table, renamed)) return null;
    const target = `${qnameText(op.table)}.${op.column}`;
    const old = ctx.schema.column(op.table, op.column)?.type;
    const fix = help`Run it with an online schema change tool (gh-ost, pt-online-schema-change), or add a new column of type ${op.type.text}, backfill it in batches and switch the code over (expand/contract). State ALGORITHM=INPLACE, LOCK=NONE on statements meant to be online, so one that is not fails instead of blocking writes.`;
    if (!old) {
      return {
        message: `Changing ${target} to ${op.type.text}: twoway does not know its current type. Unless this only lengthens a VARCHAR within its length prefix, it ${COPY_LOCK}.`,
        fix,
        severity: 'warning',
      };
    }
    const algorithm = op.algorithm;
    if (sameType(old, op.type)) {
      return algorithm === 'COPY'
        ? {
            message: `ALGORITHM=COPY on ${target} (the type stays ${old.text}) ${COPY_LOCK}.`,
            fix: 'Leave ALGORITHM=COPY out: InnoDB makes this change in place.',
          }
        : null;
    }
    const why = inPlace(old, op.type);
    if (why && algorithm !== 'COPY') return null;
    const from = `${target} from ${old.text} to ${op.type.text}`;
    if (!why && algorithm && algorithm !== 'COPY' && algorithm !== 'DEFAULT') {
      return {
        message: `Changing ${from} with ALGORITHM=${algorithm}: InnoDB cannot do it without a copy, so the server refuses the statement and the migration fails here.`,
        fix,
      };
    }
    return { message: `Changing ${from} ${COPY_LOCK}.`, fix };
  },
});
