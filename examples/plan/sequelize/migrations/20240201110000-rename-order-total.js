'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.renameColumn('orders', 'total', 'amount');
  },

  async down(queryInterface) {
    await queryInterface.renameColumn('orders', 'amount', 'total');
  },
};
