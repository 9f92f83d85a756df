// CowMap must behave as a Map (values, size, insertion order) and its forks must not see each other's writes.
import { describe, expect, it } from 'vitest';
import { CowMap } from './cow-map.js';

/** A deterministic pseudo-random sequence, so a failure replays. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('CowMap', () => {
  it('matches Map through thousands of sets and deletes, across forks and folds', () => {
    const next = random(7);
    let cow = new CowMap<number, number>();
    const map = new Map<number, number>();
    const snapshots: Array<[CowMap<number, number>, Array<[number, number]>]> = [];
    for (let step = 0; step < 20_000; step++) {
      const k = Math.floor(next() * 300);
      if (next() < 0.6) {
        cow.set(k, step);
        map.set(k, step);
      } else {
        expect(cow.delete(k)).toBe(map.delete(k));
      }
      if (step % 97 === 0) {
        // Keep one side as it is now and carry on writing the other: the fork, or (every other time) the original.
        const fork = cow.fork();
        if (step % 2) {
          snapshots.push([cow, [...map]]);
          cow = fork;
        } else snapshots.push([fork, [...map]]);
      }
      expect(cow.size).toBe(map.size);
      expect(cow.get(k)).toBe(map.get(k));
      expect(cow.has(k)).toBe(map.has(k));
    }
    expect([...cow]).toEqual([...map]);
    for (const [kept, entries] of snapshots) expect([...kept.entries()]).toEqual(entries);
  });

  it('keeps a fork as it was when the original writes, and the reverse', () => {
    const a = new CowMap([
      ['x', 1],
      ['y', 2],
    ]);
    const b = a.fork();
    a.set('x', 10);
    a.delete('y');
    b.set('z', 3);
    expect([...a]).toEqual([['x', 10]]);
    expect([...b]).toEqual([
      ['x', 1],
      ['y', 2],
      ['z', 3],
    ]);
  });
});
