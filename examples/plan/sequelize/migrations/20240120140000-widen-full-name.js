'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.changeColumn('users', 'full_name', { type: Sequelize.TEXT, allowNull: false });
  },

  // Narrowing back fails once a name longer than 50 characters was written.
  async down(queryInterface, Sequelize) {
    await queryInterface.changeColumn('users', 'full_name', { type: Sequelize.STRING(50), allowNull: false });
  },
};
