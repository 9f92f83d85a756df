// twoway reads `client` from this file (as source, never by running it) to pick the SQL dialect.
module.exports = {
  development: {
    client: 'pg',
    connection: process.env.DATABASE_URL,
    migrations: { directory: './migrations' },
  },
};
