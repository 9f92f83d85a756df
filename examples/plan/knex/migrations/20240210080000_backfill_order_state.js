exports.up = async (knex) => {
  await knex('orders').where({ state: 'new' }).update({ state: 'pending' });
};

exports.down = async () => {
  // Which rows were 'new' before the up is not recorded anywhere.
};
