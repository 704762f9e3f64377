/**
 * Seeded synthetic weights. Every tensor draws from its own stream, seeded by (seed, tensor name), so
 * a tensor's values do not depend on build order: the decoder and decoder-with-past graphs, and the
 * fp32 and int8 variants, get identical weights without holding a whole model in memory.
 */

/** FNV-1a: a stable 32-bit hash of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class WeightSource {
  constructor(readonly seed: number) {}

  /** `count` values from N(mean, std²), Box–Muller over the tensor's own stream. */
  normal(name: string, count: number, std: number, mean = 0): Float32Array {
    const next = mulberry32(hash32(`${this.seed}:${name}`));
    const out = new Float32Array(count);
    for (let i = 0; i < count; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - next())) * std;
      const angle = 2 * Math.PI * next();
      out[i] = mean + radius * Math.cos(angle);
      if (i + 1 < count) out[i + 1] = mean + radius * Math.sin(angle);
    }
    return out;
  }
}
