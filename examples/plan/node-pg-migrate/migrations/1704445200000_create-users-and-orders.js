/* eslint-disable camelcase */

// No down: node-pg-migrate reverses createTable, createIndex and createType by itself.
exports.up = (pgm) => {
  pgm.createTable('users', {
    id: 'id',
    email: { type: 'varchar(255)', notNull: true, unique: true },
    full_name: { type: 'varchar(50)', notNull: true },
    created_at: { type: 'timestamptz', notNull: true, default: pgm.func('current_timestamp') },
  });
  pgm.createType('order_status', ['new', 'paid', 'shipped']);
  pgm.createTable('orders', {
    id: 'id',
    user_id: { type: 'integer', notNull: true, references: 'users', onDelete: 'CASCADE' },
    total: { type: 'numeric(10,2)', notNull: true, default: 0 },
    status: { type: 'order_status', notNull: true, default: 'new' },
  });
  pgm.createIndex('orders', ['user_id', 'status']);
};
