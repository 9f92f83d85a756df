exports.up = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.text('full_name').notNullable().alter();
  });

// Narrowing back fails (or truncates) once a name longer than 50 characters was written.
exports.down = (knex) =>
  knex.schema.alterTable('users', (table) => {
    table.string('full_name', 50).notNullable().alter();
  });
