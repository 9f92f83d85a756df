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

/** Facts as JSON (their Maps and Sets as entry lists, in order), for the check cache: a commit's code never changes. */
export function factsToJson(facts: ReleaseFacts): unknown {
  return {
    models: facts.models.map((m) => ({ ...m, columns: m.columns === 'all' ? 'all' : [...m.columns], ignored: [...m.ignored] })),
    queries: facts.queries.map((q) => ({ ...q, columns: [...q.columns] })),
    rubyReferences: [...facts.rubyReferences],
    filesRead: facts.filesRead,
    unparsed: facts.unparsed,
  };
}

/** `factsToJson`'s value read back, or null when it does not have that shape (a corrupt entry is never trusted). */
export function factsFromJson(value: unknown): ReleaseFacts | null {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || typeof v.filesRead !== 'number') return null;
  const { models, queries, rubyReferences, unparsed } = v;
  if (!Array.isArray(models) || !Array.isArray(queries) || !Array.isArray(rubyReferences) || !Array.isArray(unparsed)) return null;
  if (!unparsed.every(isLine) || !rubyReferences.every((r) => Array.isArray(r) && typeof r[0] === 'string' && isLines(r[1]))) return null;
  const lineEntries = (e: unknown): e is Array<[string, Line]> =>
    Array.isArray(e) && e.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && isLine(x[1]));
  const out = emptyFacts();
  for (const m of models as Array<Record<string, unknown>>) {
    if (!m || typeof m.orm !== 'string' || typeof m.table !== 'string' || !isLine(m.at) || !lineEntries(m.ignored)) return null;
    if (m.columns !== 'all' && !lineEntries(m.columns)) return null;
    out.models.push({
      orm: m.orm as Orm,
      table: m.table,
      at: m.at,
      columns: m.columns === 'all' ? 'all' : new Map(m.columns as Array<[string, Line]>),
      ignored: new Map(m.ignored),
    });
  }
  for (const q of queries as Array<Record<string, unknown>>) {
    if (!q || typeof q.table !== 'string' || !isLine(q.at) || !Array.isArray(q.columns) || !q.columns.every((c) => typeof c === 'string'))
      return null;
    out.queries.push({ table: q.table, columns: new Set(q.columns as string[]), at: q.at });
  }
  out.rubyReferences = new Map(rubyReferences as Array<[string, Line[]]>);
  out.filesRead = v.filesRead;
  out.unparsed = unparsed;
  return out;
}

function isLine(l: unknown): l is Line {
  const x = l as Line | null;
  return !!x && typeof x === 'object' && typeof x.path === 'string' && typeof x.line === 'number' && typeof x.text === 'string';
}

function isLines(l: unknown): l is Line[] {
  return Array.isArray(l) && l.every(isLine);
}
