// twoway reads `type` from this file (as source, never by running it) to pick the SQL dialect.
import { DataSource } from 'typeorm';

export const AppDataSource = new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  migrations: ['src/migrations/*.ts'],
});
