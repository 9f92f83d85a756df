import rule from './drop-view.js';
import { ruleTests } from './testing.js';

const base = ['CREATE TABLE t (id int);', 'CREATE VIEW v AS SELECT * FROM t;', 'CREATE MATERIALIZED VIEW mv AS SELECT count(*) FROM t;'];

ruleTests(rule, {
  valid: [
    {
      name: 'a view created in the same migration',
      history: ['CREATE TABLE t (id int);'],
      up: 'CREATE VIEW w AS SELECT * FROM t;\nDROP VIEW w;',
    },
    { name: 'dropping and re-creating a view redefines it', history: base, up: 'DROP VIEW v;\nCREATE VIEW v AS SELECT id FROM t;' },
    { name: 'replacing a view keeps it', history: base, up: 'CREATE OR REPLACE VIEW v AS SELECT id FROM t;' },
  ],
  invalid: [
    {
      name: 'dropping a view old code may read is a contract step',
      history: base,
      up: 'DROP VIEW v;',
      message: 'Dropping view v is a contract step',
      effect: { phase: 'contract' },
    },
    {
      name: 'a materialized view is recomputed, not lost',
      history: base,
      up: 'DROP MATERIALIZED VIEW mv;',
      message: 'a down must run its whole query again',
      effect: { phase: 'contract' },
    },
    { name: 'a view the history never created', up: 'DROP VIEW IF EXISTS legacy_report;' },
  ],
});
