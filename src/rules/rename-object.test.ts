import rule from './rename-object.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'renaming a type: columns follow it by OID', history: ["CREATE TYPE s AS ENUM ('a');"], up: 'ALTER TYPE s RENAME TO s_old;' },
    { name: 'creating a function', up: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;' },
  ],
  invalid: [
    {
      name: 'renaming a view the old code reads',
      history: ['CREATE TABLE t (id int);', 'CREATE VIEW report AS SELECT * FROM t;'],
      up: 'ALTER VIEW report RENAME TO daily_report;',
      message: 'renames a view',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    {
      name: 'renaming a sequence the code calls nextval on',
      up: 'ALTER SEQUENCE orders_id_seq RENAME TO order_ids;',
      message: 'a sequence',
    },
    { name: 'moving a table to another schema', up: 'ALTER TABLE events SET SCHEMA archive;', message: 'the schema of an object' },
    { name: 'renaming a schema', up: 'ALTER SCHEMA app RENAME TO core;' },
  ],
});
