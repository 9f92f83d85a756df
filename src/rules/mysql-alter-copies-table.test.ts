import rule from './mysql-alter-copies-table.js';
import { ruleTests } from './testing.js';

const history = [
  "CREATE TABLE t (id BIGINT PRIMARY KEY, n INT, code VARCHAR(50) NOT NULL, long_code VARCHAR(300), bin VARBINARY(100), status ENUM('new', 'paid'), note TEXT) ENGINE=InnoDB;",
];
const mysql = { dialect: 'mysql', history } as const;

ruleTests(rule, {
  valid: [
    { name: 'restating the same type (only NOT NULL changes) is no copy', ...mysql, up: 'ALTER TABLE t MODIFY n INT NOT NULL;' },
    { name: 'CHANGE that only renames keeps the type', ...mysql, up: 'ALTER TABLE t CHANGE n amount INT;' },
    { name: 'VARCHAR(50) → VARCHAR(60) stays under 255 bytes in utf8mb4', ...mysql, up: 'ALTER TABLE t MODIFY code VARCHAR(60) NOT NULL;' },
    { name: 'VARCHAR(300) → VARCHAR(1000) keeps its 2-byte length prefix', ...mysql, up: 'ALTER TABLE t MODIFY long_code VARCHAR(1000);' },
    { name: 'VARBINARY(100) → VARBINARY(200) stays under 255 bytes', ...mysql, up: 'ALTER TABLE t MODIFY bin VARBINARY(200);' },
    { name: 'an ENUM member appended at the end is instant', ...mysql, up: "ALTER TABLE t MODIFY status ENUM('new', 'paid', 'refunded');" },
    {
      name: 'a table created in the same migration holds no rows',
      dialect: 'mysql',
      up: 'CREATE TABLE u (a INT);\nALTER TABLE u MODIFY a BIGINT;',
    },
    { name: 'PostgreSQL is not this rule’s', history: ['CREATE TABLE t (n int);'], up: 'ALTER TABLE t ALTER COLUMN n TYPE bigint;' },
  ],
  invalid: [
    { name: 'INT → BIGINT copies the table', ...mysql, up: 'ALTER TABLE t MODIFY n BIGINT;', message: 'ALGORITHM=COPY', severity: 'error' },
    {
      name: 'VARCHAR(50) → VARCHAR(100) crosses 255 bytes in utf8mb4: a copy',
      ...mysql,
      up: 'ALTER TABLE t MODIFY code VARCHAR(100) NOT NULL;',
      message: 'from VARCHAR(50) to VARCHAR(100) copies the whole table',
    },
    { name: 'VARCHAR → TEXT copies the table', ...mysql, up: 'ALTER TABLE t MODIFY long_code TEXT;', message: 'copies the whole table' },
    { name: 'a shorter VARCHAR copies the table', ...mysql, up: 'ALTER TABLE t MODIFY long_code VARCHAR(100);' },
    { name: 'an ENUM member removed copies the table', ...mysql, up: "ALTER TABLE t MODIFY status ENUM('new');" },
    { name: 'CHANGE with a new type copies the table', ...mysql, up: 'ALTER TABLE t CHANGE n amount BIGINT;' },
    {
      name: 'ALGORITHM=INPLACE on a change that needs a copy: the server refuses it',
      ...mysql,
      up: 'ALTER TABLE t MODIFY n BIGINT, ALGORITHM=INPLACE;',
      message: 'the server refuses the statement',
    },
    {
      name: 'ALGORITHM=COPY copies even a change InnoDB could make in place',
      ...mysql,
      up: 'ALTER TABLE t MODIFY code VARCHAR(60) NOT NULL, ALGORITHM=COPY;',
      message: 'copies the whole table',
    },
    {
      name: 'a down that narrows back copies too',
      ...mysql,
      up: 'ALTER TABLE t MODIFY n BIGINT;',
      down: 'ALTER TABLE t MODIFY n INT;',
      count: 2,
    },
    {
      name: 'a table the replay never saw: the type is unknown, a warning',
      dialect: 'mysql',
      up: 'ALTER TABLE elsewhere MODIFY n BIGINT;',
      severity: 'warning',
      message: 'does not know its current type',
    },
  ],
});
