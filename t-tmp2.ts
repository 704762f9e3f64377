import { MarginalLikelihood } from './src/gp/likelihood.ts';
import { minimize } from './src/gp/lbfgs.ts';
import { startingThetas } from './src/gp/hyperparameters.ts';
import { createRng } from './src/random/rng.ts';
const rng = createRng(1);
const branin = ([a, b]: number[]) => { const x = 15 * a! - 5, y = 15 * b!; return (y - 5.1/(4*Math.PI**2)*x*x + 5/Math.PI*x - 6)**2 + 10*(1-1/(8*Math.PI))*Math.cos(x) + 10; };
for (const n of [20, 50, 50, 80]) {
  const X = Array.from({length:n}, () => [rng.next(), rng.next(), ...Array.from({length: 13}, () => rng.next())]);
  const y = X.map(branin); const m = y.reduce((a,b)=>a+b)/n; const s = Math.sqrt(y.reduce((a,b)=>a+(b-m)**2,0)/n);
  const L = new MarginalLikelihood(X, y.map(v => (v-m)/s));
  let evals = 0; const f = (t: readonly number[]) => { evals++; return L.negativeLogPosterior(t); };
  let t0 = performance.now();
  const r = minimize(f, startingThetas(15)[0]!, { maxIterations: 30 });
  console.log(n, evals, (performance.now()-t0).toFixed(0), r.value);
}
