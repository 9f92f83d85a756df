// A map that forks in O(1) and keeps Map's insertion order: a base Map that no fork ever writes, and a small
// overlay of changes (removed base keys, base keys given new values, keys added since). Replay forks the schema
// several times per migration and writes a few entries of one fork; copying a whole Map on a fork's first write
// made a 20,000-migration history quadratic. A fork copies only the overlay when it first writes, and an
// overlay grown past ~sqrt(size) is folded into a new base, so a write costs O(sqrt n) amortized.

export class CowMap<K, V> implements ReadonlyMap<K, V> {
  /** Never written once made: forks share it. */
  private base: Map<K, V>;
  /** Base keys removed (a re-added one lives in `added`). */
  private dead: Set<K>;
  /** Live base keys with a new value: they keep their base position, as Map.set on an existing key does. */
  private changed: Map<K, V>;
  /** Keys not live in the base, in insertion order. */
  private added: Map<K, V>;
  /** The overlay is shared with a fork: copied before this map's first write. */
  private overlayShared = false;

  constructor(entries?: Iterable<readonly [K, V]>) {
    this.base = new Map(entries);
    this.dead = new Set();
    this.changed = new Map();
    this.added = new Map();
  }

  /** A copy that shares everything with this map until either of them writes. */
  fork(): CowMap<K, V> {
    const f = Object.create(CowMap.prototype) as CowMap<K, V>;
    f.base = this.base;
    f.dead = this.dead;
    f.changed = this.changed;
    f.added = this.added;
    f.overlayShared = true;
    this.overlayShared = true;
    return f;
  }

  get size(): number {
    return this.base.size - this.dead.size + this.added.size;
  }

  has(k: K): boolean {
    return this.added.has(k) || (!this.dead.has(k) && this.base.has(k));
  }

  get(k: K): V | undefined {
    if (this.added.has(k)) return this.added.get(k);
    if (this.dead.has(k)) return undefined;
    return this.changed.has(k) ? this.changed.get(k) : this.base.get(k);
  }

  private liveInBase(k: K): boolean {
    return !this.dead.has(k) && this.base.has(k);
  }

  set(k: K, v: V): this {
    this.own();
    if (!this.added.has(k) && this.liveInBase(k)) this.changed.set(k, v);
    else this.added.set(k, v);
    this.fold();
    return this;
  }

  delete(k: K): boolean {
    if (!this.has(k)) return false;
    this.own();
    if (!this.added.delete(k)) {
      this.dead.add(k);
      this.changed.delete(k);
    }
    this.fold();
    return true;
  }

  private own(): void {
    if (!this.overlayShared) return;
    this.dead = new Set(this.dead);
    this.changed = new Map(this.changed);
    this.added = new Map(this.added);
    this.overlayShared = false;
  }

  private fold(): void {
    if (this.dead.size + this.changed.size + this.added.size <= 32 + 2 * Math.sqrt(this.base.size)) return;
    this.base = new Map(this.entries());
    this.dead = new Set();
    this.changed = new Map();
    this.added = new Map();
  }

  /**
   * Keys whose value may differ between this map and `other`: those either has written since they forked from one
   * base. Undefined when they share no base (one of them folded): compare everything then.
   */
  differingKeys(other: CowMap<K, V>): Set<K> | undefined {
    if (other.base !== this.base) return undefined;
    const keys = new Set<K>();
    for (const m of [this, other]) {
      for (const k of m.dead) keys.add(k);
      for (const k of m.changed.keys()) keys.add(k);
      for (const k of m.added.keys()) keys.add(k);
    }
    return keys;
  }

  /** This map's entries of `keys`, in its iteration order. */
  entriesOf(keys: ReadonlySet<K>): Array<[K, V]> {
    const position = basePositions(this.base);
    const fromBase = [...keys]
      .filter((k) => !this.added.has(k) && this.liveInBase(k))
      .sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    const out = fromBase.map((k): [K, V] => [k, this.get(k) as V]);
    for (const [k, v] of this.added) if (keys.has(k)) out.push([k, v]);
    return out;
  }

  *entries(): MapIterator<[K, V]> {
    // The structures of this moment: a write during the iteration may fold or copy them.
    const { base, dead, changed, added } = this;
    for (const [k, v] of base) {
      if (dead.has(k)) continue;
      yield [k, changed.has(k) ? (changed.get(k) as V) : v];
    }
    yield* added;
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}

/** Each base key's position, made once per base (bases are never written) for `entriesOf`. */
const positions = new WeakMap<Map<unknown, unknown>, Map<unknown, number>>();
function basePositions<K>(base: Map<K, unknown>): Map<K, number> {
  let p = positions.get(base) as Map<K, number> | undefined;
  if (!p) {
    p = new Map();
    let i = 0;
    for (const k of base.keys()) p.set(k, i++);
    positions.set(base, p);
  }
  return p;
}
