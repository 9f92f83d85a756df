import rule from './cluster-rewrites-table.js';
import { ruleTests } from './testing.js';

const users = ['CREATE TABLE users (id bigint PRIMARY KEY, email text);', 'CREATE INDEX users_email ON users (email);'];

ruleTests(rule, {
  valid: [
    {
      name: 'clustering a table created in the same migration',
      up: 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nCLUSTER t USING t_a;',
    },
  ],
  invalid: [
    {
      name: 'CLUSTER of an existing table blocks it for the whole rewrite',
      history: users,
      up: 'CLUSTER users USING users_email;',
      message: 'CLUSTER rewrites users',
    },
    { name: 'a bare CLUSTER rewrites every clustered table', history: users, up: 'CLUSTER;', message: 'every clustered table' },
  ],
});
