/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for the few smooth problems here: GP
 * hyperparameters (unbounded) and the acquisition over the unit cube (box bounds). Bounds are handled as
 * projected L-BFGS: coordinates held at a bound by their gradient leave the quasi-Newton step, and each trial
 * step is projected back into the box — simpler than L-BFGS-B's Cauchy point and enough for boxes this small.
 * A non-finite objective counts as "too far" and makes the step shorter (an infeasible point, say).
 */
export interface Evaluation {
  value: number;
  gradient: number[];
}

export interface MinimizeOptions {
  maxIterations: number;
  history?: number;
  tolerance?: number;
  /** Box bounds, both or neither; the start must lie inside. */
  bounds?: { lower: readonly number[]; upper: readonly number[] };
}

export interface Minimum {
  x: number[];
  value: number;
}

export function minimize(objective: (x: readonly number[]) => Evaluation, start: readonly number[], options: MinimizeOptions): Minimum {
  const memory = options.history ?? 6;
  const tolerance = options.tolerance ?? 1e-6;
  const project = projection(options.bounds);
  let x = project(start);
  let current = objective(x);
  if (!Number.isFinite(current.value)) return { x, value: current.value };
  const steps: number[][] = [];
  const gradientChanges: number[][] = [];
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    const free = freeCoordinates(x, current.gradient, options.bounds);
    if (!free.some(Boolean)) break;
    const gradient = current.gradient.map((g, i) => (free[i] ? g : 0));
    let direction = searchDirection(gradient, steps, gradientChanges).map((d, i) => (free[i] ? d : 0));
    if (dot(direction, gradient) >= 0) direction = gradient.map((g) => -g); // not downhill: reset
    const next = lineSearch(objective, x, current, direction, project);
    if (next === undefined) break;
    const step = next.x.map((v, i) => v - (x[i] as number));
    const change = next.evaluation.gradient.map((g, i) => g - (current.gradient[i] as number));
    // Keep the curvature pair only when it is positive: a projected step can violate the secant condition.
    if (dot(step, change) > 1e-12 * norm(step) * norm(change)) {
      steps.push(step);
      gradientChanges.push(change);
      if (steps.length > memory) [steps.shift(), gradientChanges.shift()];
    }
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

/** Armijo backtracking along the projected path: the decrease is judged against the step actually taken. */
function lineSearch(
  objective: (x: readonly number[]) => Evaluation,
  x: readonly number[],
  current: Evaluation,
  direction: readonly number[],
  project: (x: readonly number[]) => number[],
): { x: number[]; evaluation: Evaluation } | undefined {
  for (let step = 1, tries = 0; tries < 25; step *= 0.5, tries++) {
    const candidate = project(x.map((v, i) => v + step * (direction[i] as number)));
    const taken = candidate.map((v, i) => v - (x[i] as number));
    const slope = dot(taken, current.gradient);
    if (slope >= 0) continue;
    const evaluation = objective(candidate);
    if (Number.isFinite(evaluation.value) && evaluation.value <= current.value + 1e-4 * slope) return { x: candidate, evaluation };
  }
  return undefined;
}

function projection(bounds: MinimizeOptions['bounds']): (x: readonly number[]) => number[] {
  if (bounds === undefined) return (x) => [...x];
  return (x) => x.map((v, i) => Math.min(bounds.upper[i] as number, Math.max(bounds.lower[i] as number, v)));
}

/** Coordinates not pinned at a bound by a gradient pushing outwards. */
function freeCoordinates(x: readonly number[], gradient: readonly number[], bounds: MinimizeOptions['bounds']): boolean[] {
  if (bounds === undefined) return x.map(() => true);
  return x.map((v, i) => {
    const g = gradient[i] as number;
    return !((v <= (bounds.lower[i] as number) && g > 0) || (v >= (bounds.upper[i] as number) && g < 0));
  });
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}
