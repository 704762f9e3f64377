/**
 * Randomly shifted Halton points in the unit cube (Cranley–Patterson rotation): low-discrepancy candidates that
 * cover the space more evenly than independent uniforms, with the shift drawn from an Rng so runs differ by seed.
 */
import type { Rng } from './rng.ts';

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113];

export function haltonPoints(count: number, dimension: number, rng: Rng): number[][] {
  const shift = Array.from({ length: dimension }, () => rng.next());
  const start = rng.int(1, 1000); // skip a random prefix so successive calls do not repeat the same points
  const points: number[][] = [];
  for (let i = 0; i < count; i++) {
    // Beyond the tabulated primes Halton degrades anyway: plain uniforms there.
    points.push(shift.map((offset, d) => (d < PRIMES.length ? (radicalInverse(start + i, PRIMES[d] as number) + offset) % 1 : rng.next())));
  }
  return points;
}

function radicalInverse(index: number, base: number): number {
  let result = 0;
  let fraction = 1 / base;
  for (let n = index; n > 0; n = Math.floor(n / base)) {
    result += (n % base) * fraction;
    fraction /= base;
  }
  return result;
}
