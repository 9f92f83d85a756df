import { help } from '../help.js';
import { qnameText, recomputingUsing } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { columnExistedBefore } from './existing.js';
import { sessionIsUtc } from './postgres-locks.js';
import { defineRule } from './rule.js';
import { classifyTypeChange } from './type-change.js';

const REWRITE_LOCK =
  'rewrites the whole table and rebuilds its indexes under ACCESS EXCLUSIVE, blocking every read and write for the duration';

export default defineRule({
  id: 'change-column-type',
  category: 'breaks-old-code',
  severity: 'error',
  summary:
    'Changing a column type in place: narrowing or a change of kind breaks old code, lossy casts destroy values, most changes rewrite the table.',
  lock: 'ACCESS EXCLUSIVE: catalog only for binary-coercible widenings; otherwise a full table rewrite plus index rebuilds, blocking reads and writes throughout.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['AlterColumnType'],
  docs: `
\`ALTER COLUMN … TYPE\` changes every existing value and the contract with the code in one step.
twoway compares the type before (from the replayed schema) with the new one:

| change | example | old code | data | lock |
|---|---|---|---|---|
| widening, binary coercible | \`varchar(50)\`→\`varchar(100)\`/\`text\`, \`numeric(10,2)\`→\`numeric(12,2)\`/\`numeric\`, \`cidr\`→\`inet\`, \`timestamp(0)\`→\`timestamp(3)\` | compatible | kept | catalog only: no finding |
| widening with rewrite | \`int\`→\`bigint\`, \`float4\`→\`float8\`, \`date\`→\`timestamp\`, \`json\`→\`jsonb\`, \`timestamp\`→\`timestamptz\` | compatible (phase \`expand\`) | kept | **rewrite** |
| narrowing | \`varchar(255)\`→\`varchar(50)\`, \`bigint\`→\`int\`, an enum losing values | **breaking**: its longer/larger writes fail | kept if the change succeeds; it fails on rows that do not fit | rewrite |
| lossy | \`numeric(10,4)\`→\`numeric(10,2)\`, \`numeric\`→\`int\`, \`timestamp\`→\`date\`, \`text\`→\`int\` | **breaking** | **irreversible**: rounded or cut values cannot come back | rewrite |
| change of kind | \`int\`→\`text\`, \`timestamptz\`→\`timestamp\`, \`uuid\`→\`text\` | **breaking**: it reads and binds the old kind | kept | rewrite |

Version notes: binary-coercible changes skip the rewrite since PostgreSQL 9.2 (indexes on
the column are kept, except for collation or \`citext\` changes). \`timestamp\` ↔ \`timestamptz\`
skips the rewrite on PostgreSQL 12+ when the session time zone is UTC (\`SET timezone = 'UTC'\`
in the same migration). \`int\`→\`bigint\` always rewrites.

Rollback: a down that converts back re-narrows the type and fails, or loses what was written
after the up (\`lossy\`); a lossy up is \`irreversible\` whatever the down.

Do instead (expand/contract):
\`\`\`sql
-- expand
ALTER TABLE orders ADD COLUMN amount_new numeric(12,2);
-- keep both in step (trigger, or code that writes both), then backfill in batches:
UPDATE orders SET amount_new = amount WHERE id BETWEEN 1 AND 10000 AND amount_new IS NULL;
-- release code that reads amount_new; then, in a contract migration:
ALTER TABLE orders DROP COLUMN amount;
ALTER TABLE orders RENAME COLUMN amount_new TO amount;  -- or keep the new name
\`\`\`
To limit a length, prefer \`text\` (or a wider varchar) plus
\`CHECK (char_length(col) <= 50) NOT VALID\`, then \`VALIDATE CONSTRAINT\` in a later migration:
no rewrite, and no ACCESS EXCLUSIVE scan. Rails: strong_migrations lists the same safe
changes; Django's \`AlterField\` emits the same ALTER TYPE (check \`sqlmigrate\`).

A column of a table created, or added, in the same migration holds no old values: no finding.`,
  check(op, ctx) {
    if (!columnExistedBefore(ctx, op.table, op.column)) return null;
    const table = qnameText(op.table);
    const target = `${table}.${op.column}`;
    const old = ctx.schema.column(op.table, op.column);
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const q = (name: string) => sqlIdent(name, ctx.dialect);
    const column = q(op.column);
    const expandFix = help`Expand/contract: add a new column of type ${op.type.text}, keep both in step (trigger or code), backfill it in batches, release code that reads it, then drop the old column in a migration marked "-- twoway: contract":\nALTER TABLE ${sqlTable} ADD COLUMN ${q(`${op.column}_new`)} ${op.type.text};\nUPDATE ${sqlTable} SET ${q(`${op.column}_new`)} = ${column} WHERE ${q(`${op.column}_new`)} IS NULL;  -- in batches`;
    if (!old) {
      return {
        message: `Changing ${target} to ${op.type.text}: twoway does not know its current type. Unless this is a binary-coercible widening (varchar(n) → text, a larger varchar or numeric precision), it ${REWRITE_LOCK}, and a narrowing or a change of kind breaks the release still running.`,
        fix: expandFix,
        severity: 'warning',
        effect: { phase: 'breaking', codeRollback: 'breaking' },
      };
    }
    const using = recomputingUsing(op);
    const change = classifyTypeChange(old.type, op.type, using, {
      enumValues: (name) => ctx.schema.enums.get(name),
      enumValuesBefore: (name) => ctx.start.enums.get(name),
      utcNoRewrite: ctx.serverVersion >= 12 && sessionIsUtc(ctx),
    });
    const from = `${target} from ${old.type.text} to ${op.type.text}`;
    const lock = change.rewrite ? ` It ${REWRITE_LOCK}.` : '';
    const tz =
      change.rewrite && ['timestamp', 'timestamptz'].includes(old.type.name) && ['timestamp', 'timestamptz'].includes(op.type.name)
        ? " On PostgreSQL 12+ it skips the rewrite when the session time zone is UTC: SET timezone = 'UTC' before it."
        : '';
    switch (change.class) {
      case 'same':
        return null;
      case 'values':
        return {
          message: `Changing ${target} to the same type ${op.type.text} ${change.why}: an UPDATE of every row in disguise. Existing values are lost: no down can bring them back.${lock}`,
          fix: help`Write the value change as a batched UPDATE in its own data migration, keeping the old values in a new column (or an archive table) so a down can restore them:
ALTER TABLE ${sqlTable} ADD COLUMN ${q(`${op.column}_old`)} ${old.type.text};
UPDATE ${sqlTable} SET ${q(`${op.column}_old`)} = ${column}, ${column} = ${using} WHERE ${q(`${op.column}_old`)} IS NULL;  -- in batches`,
          effect: { phase: 'data', dbRollback: 'irreversible' },
        };
      case 'widening': {
        if (!change.rewrite) {
          // citext compares differently from text: the table stays, its indexes on the column are rebuilt.
          const indexes = ctx.schema.indexesOf(op.table).filter((i) => i.columns.includes(op.column));
          if (!(old.type.name === 'citext' || op.type.name === 'citext') || !indexes.length) return null;
          return {
            message: `Changing ${from} keeps the rows but rebuilds ${indexes.map((i) => i.name).join(', ')} under ACCESS EXCLUSIVE (${change.why}): no reads or writes until they are built.`,
            fix: help`Build the new index CONCURRENTLY on an expression first, or change the type on a small table only, with a short lock_timeout.`,
            effect: { phase: 'expand' },
          };
        }
        return {
          message: `Changing ${from} widens it (${change.why}): the release still running stays compatible.${lock}${tz}`,
          fix: help`${expandFix}\nOn a small table, run it with a short lock_timeout instead.`,
          // Compatible and reversible: only the rewrite's lock is at stake.
          severity: 'warning',
          effect: { phase: 'expand' },
        };
      }
      case 'narrowing':
      case 'kind': {
        const what = change.class === 'narrowing' ? 'narrows it' : 'changes the kind of value';
        const loss = change.lossy ? ` Existing values are lost: ${change.lossy}; no down can bring them back.` : '';
        const capLength = change.class === 'narrowing' && ['varchar', 'text'].includes(old.type.name) && op.type.name === 'varchar';
        const lengthFix = capLength
          ? help`To cap the length without a rewrite, keep the type and add a constraint; release code that respects it first:\nALTER TABLE ${sqlTable} ADD CONSTRAINT ${q(`${op.table.name}_${op.column}_length`)} CHECK (char_length(${column}) <= ${op.type.args[0]}) NOT VALID;\nALTER TABLE ${sqlTable} VALIDATE CONSTRAINT ${q(`${op.table.name}_${op.column}_length`)};  -- in a later migration`
          : null;
        return {
          message: `Changing ${from} ${what} (${change.why}): the release still running breaks.${loss}${lock}${tz}`,
          fix: lengthFix ? help`${lengthFix}\n${expandFix}` : expandFix,
          effect: change.lossy
            ? { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' }
            : { phase: 'breaking', codeRollback: 'breaking' },
        };
      }
    }
  },
});
