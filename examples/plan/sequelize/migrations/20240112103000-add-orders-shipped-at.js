'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('orders', 'shipped_at', { type: Sequelize.DATE, allowNull: true });
  },

  // Left empty: rolling back keeps the column, which the previous release ignores.
  async down() {},
};
