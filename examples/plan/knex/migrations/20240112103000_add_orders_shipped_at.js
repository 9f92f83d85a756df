// CREATE INDEX CONCURRENTLY cannot run inside a transaction.
exports.config = { transaction: false };

// No down: the new column and index are harmless to the previous release.
exports.up = async (knex) => {
  await knex.schema.alterTable('orders', (table) => {
    table.timestamp('shipped_at').nullable();
  });
  await knex.raw(`
    CREATE INDEX CONCURRENTLY orders_shipped_at_idx
      ON orders (shipped_at)
  `);
};
