// Derived down: renameColumn reverses itself.
exports.up = (pgm) => {
  pgm.renameColumn('orders', 'total', 'amount');
};
