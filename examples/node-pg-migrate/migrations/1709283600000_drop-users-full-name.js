exports.up = (pgm) => {
  pgm.dropColumns('users', ['full_name']);
};
