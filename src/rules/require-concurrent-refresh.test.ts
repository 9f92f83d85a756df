import rule from './require-concurrent-refresh.js';
import { ruleTests } from './testing.js';

const view = [
  'CREATE TABLE sales (day date, amount int);',
  'CREATE MATERIALIZED VIEW daily AS SELECT day, sum(amount) FROM sales GROUP BY day;',
];

ruleTests(rule, {
  valid: [
    { name: 'a concurrent refresh lets reads continue', history: view, up: 'REFRESH MATERIALIZED VIEW CONCURRENTLY daily;' },
    {
      name: 'a view created in the same migration has no readers yet',
      up: `${view[0]}\nCREATE MATERIALIZED VIEW weekly AS SELECT 1 AS x WITH NO DATA;\nREFRESH MATERIALIZED VIEW weekly;`,
    },
  ],
  invalid: [
    {
      name: 'a plain refresh blocks reads of the view',
      history: view,
      up: 'REFRESH MATERIALIZED VIEW daily;',
      message: 'ACCESS EXCLUSIVE lock on daily',
    },
  ],
});
