/**
 * A small seeded pseudo-random generator (mulberry32), so that a randomized test replays the same
 * choices from the same seed. The seed is printed by the tests that use it; set it again with the
 * test's environment variable to replay a failure.
 */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A key chosen with probability proportional to its weight (weights ≤ 0 are never chosen). */
  weighted<K extends string>(weights: Record<K, number>): K;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick(items) {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(weights) {
      const entries = (Object.entries(weights) as Array<[keyof typeof weights, number]>).filter(
        ([, w]) => w > 0,
      );
      const total = entries.reduce((s, [, w]) => s + w, 0);
      if (total <= 0) throw new Error('no positive weight');
      let r = next() * total;
      for (const [k, w] of entries) {
        r -= w;
        if (r < 0) return k;
      }
      return (entries[entries.length - 1] as [keyof typeof weights, number])[0];
    },
  };
}

/** The seed from an environment variable when set (to replay a run), else a fixed default. */
export function seedFrom(variable: string, fallback: number): number {
  const raw = process.env[variable];
  const n = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isSafeInteger(n) ? n : fallback;
}
