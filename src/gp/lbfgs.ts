/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for the few smooth, unconstrained problems
 * here (GP hyperparameters). A non-finite objective counts as "too far" and makes the step shorter.
 */
export interface Evaluation {
  value: number;
  gradient: number[];
}

export interface MinimizeOptions {
  maxIterations: number;
  history?: number;
  tolerance?: number;
}

export interface Minimum {
  x: number[];
  value: number;
}

export function minimize(objective: (x: readonly number[]) => Evaluation, start: readonly number[], options: MinimizeOptions): Minimum {
  const memory = options.history ?? 6;
  const tolerance = options.tolerance ?? 1e-6;
  let x = [...start];
  let current = objective(x);
  if (!Number.isFinite(current.value)) return { x, value: current.value };
  const steps: number[][] = [];
  const gradientChanges: number[][] = [];
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    let direction = searchDirection(current.gradient, steps, gradientChanges);
    if (dot(direction, current.gradient) >= 0) direction = current.gradient.map((g) => -g); // not downhill: reset
    const next = lineSearch(objective, x, current, direction);
    if (next === undefined) break;
    steps.push(next.x.map((v, i) => v - (x[i] as number)));
    gradientChanges.push(next.evaluation.gradient.map((g, i) => g - (current.gradient[i] as number)));
    if (steps.length > memory) [steps.shift(), gradientChanges.shift()];
    const improvement = current.value - next.evaluation.value;
    x = next.x;
    current = next.evaluation;
    if (improvement < tolerance * Math.max(1, Math.abs(current.value))) break;
  }
  return { x, value: current.value };
}

/** The two-loop recursion: approximately −H⁻¹ g from the last few steps and gradient changes. */
function searchDirection(gradient: readonly number[], steps: readonly number[][], changes: readonly number[][]): number[] {
  const q = [...gradient];
  const alphas: number[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as number[];
    const y = changes[i] as number[];
    const alpha = dot(s, q) / dot(y, s);
    alphas[i] = alpha;
    for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) - alpha * (y[j] as number);
  }
  const last = steps.length - 1;
  const scale = last >= 0 ? dot(steps[last] as number[], changes[last] as number[]) / dot(changes[last] as number[], changes[last] as number[]) : 1 / Math.max(1, norm(gradient));
  for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) * (Number.isFinite(scale) && scale > 0 ? scale : 1);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as number[];
    const y = changes[i] as number[];
    const beta = dot(y, q) / dot(y, s);
    for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) + (s[j] as number) * ((alphas[i] as number) - beta);
  }
  return q.map((v) => -v);
}

function lineSearch(
  objective: (x: readonly number[]) => Evaluation,
  x: readonly number[],
  current: Evaluation,
  direction: readonly number[],
): { x: number[]; evaluation: Evaluation } | undefined {
  const slope = dot(direction, current.gradient);
  for (let step = 1, tries = 0; tries < 25; step *= 0.5, tries++) {
    const candidate = x.map((v, i) => v + step * (direction[i] as number));
    const evaluation = objective(candidate);
    if (Number.isFinite(evaluation.value) && evaluation.value <= current.value + 1e-4 * step * slope) return { x: candidate, evaluation };
  }
  return undefined;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}
