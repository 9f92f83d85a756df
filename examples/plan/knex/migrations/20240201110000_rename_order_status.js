exports.up = (knex) => knex.schema.alterTable('orders', (table) => table.renameColumn('status', 'state'));

exports.down = (knex) => knex.schema.alterTable('orders', (table) => table.renameColumn('state', 'status'));
