// What a release's application code says about the tables and columns it maps: the vocabulary the
// readers (one per ORM) produce and the lookup turns into the judge's `usage`.

/** A line of the release: where a model, a field, an ignore or a query is. */
export interface Line {
  path: string;
  line: number;
  text: string;
}

export type Orm = 'rails' | 'django' | 'sqlalchemy' | 'prisma' | 'typeorm' | 'sequelize';

/** A model class (or schema model) mapped to one table. */
export interface ModelFact {
  orm: Orm;
  /** The table it maps, as the ORM names it (conventions applied). */
  table: string;
  /** The class or model declaration. */
  at: Line;
  /**
   * The columns it reads and writes: 'all' when the ORM loads every column of the table (Active Record,
   * whose schema cache lists them at boot, so a dropped column breaks INSERTs unless ignored).
   */
  columns: Map<string, Line> | 'all';
  /** Columns the model declares it no longer uses (Active Record `ignored_columns`). */
  ignored: Map<string, Line>;
}

/** A query in the source (raw SQL in a string, a Knex chain) naming a table and columns of it. */
export interface QueryFact {
  table: string;
  columns: Set<string>;
  at: Line;
}

export interface ReleaseFacts {
  models: ModelFact[];
  queries: QueryFact[];
  /** Ruby code naming an attribute (`user.full_name`, `:full_name`, `full_name:`), by name: supporting lines for Active Record models. */
  rubyReferences: Map<string, Line[]>;
  /** Source files read, and those a reader could not parse (their facts are missing). */
  filesRead: number;
  unparsed: Line[];
}

export function emptyFacts(): ReleaseFacts {
  return { models: [], queries: [], rubyReferences: new Map(), filesRead: 0, unparsed: [] };
}

/** The text of a line, trimmed and cut short, for evidence. */
export function lineAt(path: string, text: string, line: number): Line {
  const raw = text.split('\n')[line - 1] ?? '';
  const t = raw.trim();
  return { path, line, text: t.length > 160 ? `${t.slice(0, 157)}...` : t };
}
