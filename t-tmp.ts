import { GaussianProcess } from './src/gp/gaussian-process.ts';
import { createRng } from './src/random/rng.ts';
import { PROBLEMS } from './bench/optimizers/problems.ts';
import { decode } from './src/space/space.ts';
const h6 = PROBLEMS[1]!;
const rng = createRng(3);
for (const n of [10, 20, 40]) for (const opt of [{}, { optimizedStarts: 3, maxIterations: 100 }]) {
  const X = Array.from({ length: n }, () => Array.from({ length: 6 }, () => rng.next()));
  const y = X.map((x) => h6.truth(decode(h6.space, x))!);
  const gp = GaussianProcess.fit(X, y, opt);
  const T = Array.from({ length: 500 }, () => Array.from({ length: 6 }, () => rng.next()));
  const ty = T.map((x) => h6.truth(decode(h6.space, x))!);
  const pr = gp.predict(T).mean.map((m) => gp.transform.inverse(m));
  const rmse = Math.sqrt(pr.reduce((s, p, i) => s + (p - ty[i]!) ** 2, 0) / T.length);
  console.log(n, JSON.stringify(opt), gp.hyperparameters.lengthScales.map((l) => l.toFixed(2)).join(' '), gp.hyperparameters.signalVariance.toFixed(2), gp.hyperparameters.noiseVariance.toExponential(1), 'rmse', rmse.toFixed(3));
}
