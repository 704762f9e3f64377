/**
 * Parallel trials on one Docker host, for real: the same gan study (12 trials, each at most one CPU) run with
 * --parallel 1 and --parallel 2, per seed, interleaved (the order alternates by seed, so a slow spell of the
 * shared machine hits both). Prints each study's wall time and best measured mean latency, and the ratios.
 * A K = 2 study measures its trials two at a time, load generators included, on the two cores: its figures are
 * not comparable with K = 1's. So every study's best configuration is then measured again, one at a time, in
 * --rounds interleaved rounds, and the quality of what each study found is that re-measured mean.
 * Run it alone: other load on the two cores slows the K = 2 studies' load generator and replicas unevenly.
 *
 *   node --import tsx bench/parallel-trials/run.ts --seeds 1,2,3 --budget 12
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { bestTrial } from '../../src/domain/trials.ts';
import type { Params } from '../../src/space/params.ts';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { measureAlone } from '../shared/measure-alone.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    budget: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '4' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    db: { type: 'string' },
  },
});
const seeds = values.seeds.split(',').map(Number);
const TUNE = fileURLToPath(new URL('../../bin/tune.mjs', import.meta.url));
const SPACE = fileURLToPath(new URL('../../support/spaces/gan-one-cpu.json', import.meta.url));
// --db: reuse the studies already in it (their wall time read from the rows: first start to last end).
const db = values.db ?? join(mkdtempSync(join(tmpdir(), 'tune-parallel-bench-')), 'studies.db');

interface Run {
  seed: number;
  parallel: number;
  wallS: number;
  bestMs: number;
  bestTrial: number;
  bestParams: Params;
  /** The best configuration's mean latency measured again alone, one value per round. */
  again: number[];
}

function study(seed: number, parallel: number): Run {
  const name = `gan-k${parallel}-s${seed}`;
  const stored = storedRun(name, seed, parallel);
  if (stored) return stored;
  const args = ['--model', 'gan', '--concurrency', values.concurrency, '--budget', values.budget, '--seed', String(seed), '--duration', values.duration, '--space', SPACE, '--parallel', String(parallel), '--confirm', '0', '--name', name, '--db', db];
  const started = performance.now();
  const run = spawnSync(process.execPath, [TUNE, ...args], { encoding: 'utf8' });
  const wallS = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${name} exited ${run.status}: ${run.stderr.split('\n').slice(-3).join(' | ')}`);
  const opened = SqliteStorage.open(db, { readOnly: true });
  if (!opened.ok) throw opened.error;
  const best = bestTrial(opened.storage.trials(name));
  opened.storage.close();
  console.error(`${name}: ${wallS.toFixed(0)} s, best ${best?.objectiveValue?.toFixed(1)} ms (trial ${best?.number}), load ${loadavg()[0]?.toFixed(1)}`);
  return { seed, parallel, wallS, bestMs: best?.objectiveValue ?? Number.NaN, bestTrial: best?.number ?? -1, bestParams: best?.params ?? {}, again: [] };
}

function storedRun(name: string, seed: number, parallel: number): Run | undefined {
  const opened = SqliteStorage.open(db, { readOnly: true });
  if (!opened.ok) return undefined;
  const trials = opened.storage.trials(name);
  opened.storage.close();
  const best = bestTrial(trials);
  if (best === undefined) return undefined;
  const wallS = (Date.parse(trials.at(-1)?.finishedAt ?? '') - Date.parse(trials[0]?.startedAt ?? '')) / 1000;
  return { seed, parallel, wallS, bestMs: best.objectiveValue ?? Number.NaN, bestTrial: best.number, bestParams: best.params, again: [] };
}

const runs: Run[] = [];
for (const [i, seed] of seeds.entries()) {
  const order = i % 2 === 0 ? [1, 2] : [2, 1];
  for (const parallel of order) runs.push(study(seed, parallel));
}

for (let round = 0; round < Number(values.rounds); round++) {
  const order = round % 2 === 0 ? runs : [...runs].reverse();
  for (const [i, run] of order.entries()) {
    run.again.push((await measureAlone(run.bestParams, round * runs.length + i, { model: 'gan', concurrency: Number(values.concurrency), durationS: Number(values.duration) })).mean);
    console.error(`again: gan-k${run.parallel}-s${run.seed} best → ${run.again.at(-1)?.toFixed(1)} ms`);
  }
}

const of = (seed: number, parallel: number) => runs.find((r) => r.seed === seed && r.parallel === parallel) as Run;
console.log(`gan, budget ${values.budget}, concurrency ${values.concurrency}, ${values.duration} s windows, ${SPACE.split('/').pop()}; database ${db}`);
const again = (r: Run) => median(r.again);
console.log('| seed | wall K=1 (s) | wall K=2 (s) | K=2 / K=1 | best K=1 in study (ms) | best K=2 in study (ms) | K=1 best alone (ms) | K=2 best alone (ms) | alone K=2 / K=1 |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const seed of seeds) {
  const [one, two] = [of(seed, 1), of(seed, 2)];
  const cells = [seed, one.wallS.toFixed(0), two.wallS.toFixed(0), (two.wallS / one.wallS).toFixed(2), `${one.bestMs.toFixed(1)} (trial ${one.bestTrial})`, `${two.bestMs.toFixed(1)} (trial ${two.bestTrial})`, again(one).toFixed(1), again(two).toFixed(1), (again(two) / again(one)).toFixed(2)];
  console.log(`| ${cells.join(' | ')} |`);
}
const ratio = (pick: (r: Run) => number) => median(seeds.map((s) => pick(of(s, 2)) / pick(of(s, 1))));
console.log(`median ratios K=2 / K=1: wall time ${ratio((r) => r.wallS).toFixed(2)} (goal ≤ 0.6); best in study ${ratio((r) => r.bestMs).toFixed(2)}; best measured alone ${ratio(again).toFixed(2)} (medians of ${values.rounds} rounds)`);
