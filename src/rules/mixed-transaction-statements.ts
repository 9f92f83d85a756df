import { defineRule } from './rule.js';

// Raised by adapters through ParsedMigration.notes: only the framework knows it refuses the mix.
export default defineRule({
  id: 'mixed-transaction-statements',
  category: 'locking',
  severity: 'error',
  summary:
    'The framework refuses the migration\'s transaction setup: statements that must run outside a transaction mixed with ones inside (Flyway without mixed=true), or an own transaction mode where one transaction holds the run (TypeORM "all").',
  lock: 'None: the framework stops before running the migration.',
  direction: 'both',
  kinds: [],
  docs: `
Flyway decides, statement by statement, whether a script can run in a transaction. On PostgreSQL it
runs a script outside a transaction when it finds one of \`CREATE INDEX CONCURRENTLY\`,
\`DROP INDEX CONCURRENTLY\`, \`VACUUM\`, \`REINDEX SCHEMA|DATABASE|SYSTEM\`, \`ALTER SYSTEM\`,
\`CREATE|DROP DATABASE\`, \`TABLESPACE\` or \`SUBSCRIPTION\`, \`DISCARD ALL\` (and \`ALTER TYPE ... ADD VALUE\`
before PostgreSQL 12). A script holding such a statement and any other statement is refused at
migrate time ("Detected both transactional and non-transactional statements within the same
migration (even though mixed is false)"): the deploy stops there.

\`mixed=true\` lets it run, but then the whole script runs without a transaction: a failure halfway
leaves the first statements applied. A script configuration (\`V3__x.sql.conf\`) with
\`executeInTransaction\` set makes Flyway skip the check and use that setting.

Do instead: put the non-transactional statement in a migration of its own (\`V3_1__index_concurrently.sql\`),
so that the rest keeps its transaction. Only if the statements must stay together, set
\`flyway.mixed=true\` (\`spring.flyway.mixed\` with Spring Boot), knowing a failure is not rolled back.

TypeORM runs every pending migration in one transaction by default (\`migrationsTransactionMode: "all"\`).
A migration class that sets \`transaction\` (false to run \`CREATE INDEX CONCURRENTLY\`, or even true) is
refused before anything runs: "Migrations ... override the transaction mode, but the global transaction
mode is "all"". Set \`migrationsTransactionMode: "each"\` on the data source to let a migration opt out.`,
});
