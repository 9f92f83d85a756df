// Orders migrations by their dependency graph (Alembic down_revision, Django dependencies), not by file name.

export interface GraphNode<T> {
  key: string;
  /** Keys this node must come after; keys not in the graph are reported as missing. */
  after: string[];
  item: T;
}

export interface GraphOrder<T> {
  ordered: T[];
  /** Edges to keys that are not in the graph: [node, missing key]. */
  missing: Array<[T, string]>;
  /** Nodes on or behind a cycle, appended at the end in key order so they are still analyzed. */
  cyclic: T[];
}

/** Topological order; among nodes ready at the same time, the smallest key first (stable across runs). */
export function topologicalOrder<T>(nodes: readonly GraphNode<T>[]): GraphOrder<T> {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const missing: Array<[T, string]> = [];
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const n of nodes) {
    const parents = [...new Set(n.after)].filter((p) => {
      if (byKey.has(p)) return true;
      missing.push([n.item, p]);
      return false;
    });
    waiting.set(n.key, parents.length);
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), n.key]);
  }
  const ready = nodes.filter((n) => waiting.get(n.key) === 0).map((n) => n.key);
  const ordered: T[] = [];
  const done = new Set<string>();
  while (ready.length) {
    ready.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const key = ready.pop() as string;
    done.add(key);
    ordered.push((byKey.get(key) as GraphNode<T>).item);
    for (const child of children.get(key) ?? []) {
      const left = (waiting.get(child) ?? 0) - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  const cyclic = nodes
    .filter((n) => !done.has(n.key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((n) => n.item);
  return { ordered, missing, cyclic };
}
