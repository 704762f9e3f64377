/**
 * The one source of randomness for the whole tool: a seeded xoshiro128** generator.
 * `fork(label)` derives an independent stream from this stream's seed and the label only (not from how many
 * numbers were drawn), so trial k of a study rebuilt from storage sees the same stream as in the original run.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  /** Standard normal. */
  normal(): number;
  /** An independent stream named by `label`; the same label always gives the same stream. */
  fork(label: string): Rng;
}

export function createRng(seed: number | string): Rng {
  return new Xoshiro128(typeof seed === 'number' ? hashString(`seed:${seed}`) : hashString(seed));
}

class Xoshiro128 implements Rng {
  private readonly state: Uint32Array;
  private spareNormal: number | undefined;

  constructor(private readonly key: number) {
    this.state = new Uint32Array(4);
    let mix = key >>> 0;
    for (let i = 0; i < 4; i++) {
      mix = splitMix32(mix);
      this.state[i] = mix;
    }
    if (this.state.every((word) => word === 0)) this.state[0] = 1; // the all-zero state is a fixed point
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`rng.int needs integers lo <= hi, got ${lo}, ${hi}`);
    }
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Box–Muller, keeping the second value of each pair. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  fork(label: string): Rng {
    return new Xoshiro128(hashString(`${this.key}/${label}`));
  }

  private nextUint32(): number {
    const s = this.state as unknown as [number, number, number, number];
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function splitMix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a, 32 bits: turns seeds and labels into stream keys. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** A plain uniform source in [0, 1) for code that takes `() => number` (workloads, arrival schedules). */
export function uniformSource(seed: number | string): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}
