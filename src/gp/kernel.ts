/**
 * Matérn-5/2 kernel with one length scale per input dimension (ARD):
 * k(x, y) = s² (1 + √5 r + 5/3 r²) e^(−√5 r), r² = Σ_d (x_d − y_d)² / ℓ_d².
 */
const SQRT5 = Math.sqrt(5);

export interface KernelParams {
  lengthScales: readonly number[];
  signalVariance: number;
}

export function matern52(x: readonly number[], y: readonly number[], params: KernelParams): number {
  return params.signalVariance * maternShape(scaledDistance(x, y, params.lengthScales));
}

/** The kernel matrix between two sets of points. */
export function kernelMatrix(a: readonly (readonly number[])[], b: readonly (readonly number[])[], params: KernelParams): number[][] {
  return a.map((x) => b.map((y) => matern52(x, y, params)));
}

/**
 * ∂k/∂log ℓ_d divided by (x_d − y_d)² / ℓ_d²: s² · 5/3 · (1 + √5 r) e^(−√5 r). Finite at r = 0, so no
 * division by the distance is needed.
 */
export function lengthScaleGradientFactor(r: number, signalVariance: number): number {
  return signalVariance * (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

export function maternShape(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

export function scaledDistance(x: readonly number[], y: readonly number[], lengthScales: readonly number[]): number {
  let sum = 0;
  for (let d = 0; d < x.length; d++) {
    const diff = ((x[d] as number) - (y[d] as number)) / (lengthScales[d] as number);
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/**
 * k(x, y) for every input y and its gradient in x: ∂k/∂x_d = −(x_d − y_d) / ℓ_d² · s² · 5/3 · (1 + √5 r) e^(−√5 r),
 * which, like the length-scale gradient, needs no division by the distance.
 */
export function kernelRowWithGradient(x: readonly number[], inputs: readonly (readonly number[])[], params: KernelParams): { row: number[]; gradient: number[][] } {
  const inverseSquaredScales = params.lengthScales.map((l) => 1 / (l * l));
  const row: number[] = [];
  const gradient: number[][] = [];
  for (const y of inputs) {
    const r = scaledDistance(x, y, params.lengthScales);
    row.push(params.signalVariance * maternShape(r));
    const factor = lengthScaleGradientFactor(r, params.signalVariance);
    gradient.push(x.map((xd, d) => -factor * (xd - (y[d] as number)) * (inverseSquaredScales[d] as number)));
  }
  return { row, gradient };
}
