import rule from './drop-table.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'a table created in the same migration holds no rows', up: 'CREATE TABLE tmp (id int);\nDROP TABLE tmp;' },
    {
      name: 'dropping a view is not dropping a table',
      history: ['CREATE TABLE t (id int);', 'CREATE VIEW v AS SELECT * FROM t;'],
      up: 'DROP VIEW v;',
    },
  ],
  invalid: [
    {
      name: 'dropping a table that holds rows is an irreversible contract step',
      history: ['CREATE TABLE audit_log (id bigint, body text);'],
      up: '-- retired\nDROP TABLE audit_log;',
      line: 2,
      message: 'audit_log (2 columns) destroys its rows',
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    },
    {
      name: 'CASCADE also drops the dependent views and foreign keys',
      history: ['CREATE TABLE a (id int);'],
      up: 'DROP TABLE a CASCADE;',
      message: 'CASCADE also drops',
    },
    {
      name: 'each table of a multi-table drop is named, in one finding for the line',
      history: ['CREATE TABLE a (id int);', 'CREATE TABLE b (id int);'],
      up: 'DROP TABLE a, b;',
      message: 'Also:',
    },
    {
      name: 'a down that re-creates the table does not bring the rows back',
      history: ['CREATE TABLE a (id int);'],
      up: 'DROP TABLE a;',
      down: 'CREATE TABLE a (id int);',
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    },
    { name: 'a table the history never created is assumed to hold rows', up: 'DROP TABLE IF EXISTS legacy_things;' },
  ],
});
