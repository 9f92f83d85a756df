'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.sequelize.query(
        `UPDATE orders SET status = 'paid' WHERE status = 'new' AND amount = 0`,
        { transaction },
      );
    });
  },

  async down() {
    throw new Error('Which orders were new before the backfill is not recorded: this migration cannot be rolled back.');
  },
};
