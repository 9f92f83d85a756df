// Every DSL framework adapter, imported for its registration (registry.ts): for callers of the synchronous
// `discover` (the library entry, tests), which cannot wait for discovery to import them. The CLI does not import
// this: `check` imports an adapter when a folder may hold one of its sets.
import './alembic.js';
import './django.js';
import './knex.js';
import './node-pg-migrate.js';
import './rails.js';
import './sequelize.js';
import './typeorm.js';
