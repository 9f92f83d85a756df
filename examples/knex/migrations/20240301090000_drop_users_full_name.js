exports.up = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.dropColumn('full_name');
  });

exports.down = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.text('full_name');
  });
