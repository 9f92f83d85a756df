exports.up = async function up(knex) {
  await knex.schema.createTable('users', (table) => {
    table.increments('id');
    table.string('email', 255).notNullable().unique();
    table.string('full_name', 50).notNullable();
    table.timestamps(true, true);
  });
  await knex.schema.createTable('orders', (table) => {
    table.increments('id');
    table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.decimal('total', 10, 2).notNullable().defaultTo(0);
    table.string('status', 20).notNullable().defaultTo('new');
    table.index(['user_id', 'status']);
  });
};

exports.down = async function down(knex) {
  await knex.schema.dropTable('orders');
  await knex.schema.dropTable('users');
};
