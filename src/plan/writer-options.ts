// What a framework writer (src/plan/write-<framework>.ts) needs beyond the folder and the steps.

/** A column the code must stop using (a release) before the contract step that drops it. */
export interface StopUsing {
  table: string;
  columns: string[];
  /** The ORM's model for the table (Rails `User`, Django `customer`); derived from the table name when absent. */
  model?: string;
}

export interface WriterOptions {
  /** Language of new Knex/TypeORM/Sequelize/node-pg-migrate files; default: the language of the folder's newest migration. */
  language?: 'ts' | 'js';
  /**
   * The unapplied migration the plan replaces (its path; the user deletes it): the new steps take its place in
   * the chain (Alembic down_revision, Django dependencies). Version schemes based on time or counters skip past it.
   */
  replaces?: string;
  /**
   * Migrations follow the one the plan replaces: number the steps in its place, after `original` and before `next`
   * (absolute paths), so they run where it ran and the later migrations still run after them. A writer whose names
   * leave no room throws NoRoom (write-common.ts); Alembic and Django chain in its place by revision and dependency.
   */
  slot?: { original: string; next: string };
  /** Django: the app label; default: the name of the folder holding migrations/. */
  appLabel?: string;
  /** Rails: the `ActiveRecord::Migration[x.y]` version; default: the newest one the folder's migrations use. */
  railsVersion?: string;
  /** Code steps: what the release before the first contract step must stop using, written in the framework's idiom. */
  stopUsing?: StopUsing[];
  /** Clock for timestamp-named migrations; default: now. */
  now?: Date;
}

/** A file a writer plans: its absolute path and full text. Writers never write; the caller does, refusing existing paths. */
export interface PlannedFile {
  path: string;
  text: string;
  /** Settings the migration beside it is run with (Flyway's `V5__x.sql.conf`), not a migration itself. */
  sidecar?: boolean;
  /**
   * The step the file belongs to (its index). Writers that write more than a step's migrations (Django's code
   * step) say so; otherwise files follow the steps in order, the same number per step.
   */
  step?: number;
  /** A migration of the code step before `step` (Django forgetting a field): it changes the framework's state only, an expand. */
  codeStep?: boolean;
}
