'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.removeColumn('users', 'full_name');
  },

  async down(queryInterface, Sequelize) {
    await queryInterface.addColumn('users', 'full_name', { type: Sequelize.TEXT, allowNull: true });
  },
};
