/**
 * GP-EI against random search on a real model: the real `tune` (Docker replicas, the load generator) for each
 * seed and strategy, then per seed the best mean latency after 10 and 20 trials, the medians and BO / random.
 *   node --import tsx bench/optimizers/real-model.ts [--model gan|bert|marian] [--seeds 1,2,3,4,5] [--budget 20]
 *     [--concurrency 8] [--duration 5] [--warmup 2] [--db .cache/bench/real-<model>.db]
 * "Best" is the trial the study would report: the GP posterior best over its first k measured attempts (what
 * `tune best` shows), given as that trial's measured mean latency. Studies already in the database are reused
 * when finished and resumed when not, so running the same command again continues an interrupted check.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { storedSpaceOf } from '../../src/app/inspect.ts';
import { openStorage } from '../../src/app/storage.ts';
import type { StudyRecord, TrialRecord } from '../../src/domain/records.ts';
import { isMeasuredAttempt } from '../../src/domain/trials.ts';
import { bestEstimate } from '../../src/samplers/best-estimate.ts';
import { measuredObservations } from '../../src/study/study.ts';

const { values: flags } = parseArgs({
  options: {
    model: { type: 'string', default: 'gan' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    budget: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    db: { type: 'string' },
  },
});
const { model, budget, concurrency, duration, warmup } = flags;
if (!['gan', 'bert', 'marian'].includes(model)) throw new Error(`--model takes gan, bert or marian, not ${model}`);
const seeds = flags.seeds.split(',').map(Number);
const db = flags.db ?? `.cache/bench/real-${model}.db`;
const strategies = ['bo', 'random'] as const;
const checkpoints = [...[10].filter((k) => k < Number(budget)), Number(budget)];
const TUNE = fileURLToPath(new URL('../../bin/tune.mjs', import.meta.url));

const studyId = (strategy: string, seed: number) => `real-${model}-${strategy}-c${concurrency}-b${budget}-s${seed}-w${warmup}d${duration}`;

function withDb<T>(body: (storage: ReturnType<typeof openStorage>) => T): T {
  const storage = openStorage(db);
  try {
    return body(storage);
  } finally {
    storage.close();
  }
}

/** Runs the study with the real `tune`: created, resumed, or left alone when its budget is spent. */
function ensureStudy(strategy: string, seed: number): void {
  const name = studyId(strategy, seed);
  const state = withDb((storage) => {
    const study = storage.getStudy(name);
    if (study === undefined) return 'missing';
    return storage.trials(name).filter(isMeasuredAttempt).length >= study.budget ? 'done' : 'unfinished';
  });
  if (state === 'done') return;
  // The search is what is compared: no confirmation rounds after it.
  const settings = ['--model', model, '--concurrency', concurrency, '--budget', budget, '--strategy', strategy, '--seed', String(seed), '--confirm', '0'];
  const args = state === 'unfinished' ? ['--resume', name, '--db', db] : [...settings, '--duration', duration, '--warmup', warmup, '--name', name, '--db', db];
  console.error(`\n$ tune ${args.join(' ')}`);
  // tune's progress and summaries go to stderr: stdout is left to the table.
  const result = spawnSync(process.execPath, [TUNE, ...args], { stdio: ['inherit', 2, 2] });
  if (result.status !== 0) throw new Error(`tune exited with ${result.status ?? result.signal}: run the same command again to continue`);
}

/** Mean latency (ms) of the posterior-best trial among the first k measured attempts; undefined if fewer ran. */
function bestAfter(study: StudyRecord, trials: readonly TrialRecord[], k: number): number | undefined {
  const attempts = trials.filter(isMeasuredAttempt).slice(0, k);
  const space = storedSpaceOf(study);
  const best = attempts.length === k && space ? bestEstimate(space, measuredObservations(attempts)) : undefined;
  return best && attempts[best.index]?.metrics?.meanMs;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));

mkdirSync(dirname(db), { recursive: true });
for (const seed of seeds) for (const strategy of strategies) ensureStudy(strategy, seed);

withDb((storage) => {
  const studies = strategies.map((strategy) => seeds.map((seed) => storage.getStudy(studyId(strategy, seed)) as StudyRecord));
  const trials = studies.map((row) => row.map((study) => storage.trials(study.id)));
  // best[strategy][seed][checkpoint], in ms
  const best = studies.map((row, s) => row.map((study, i) => checkpoints.map((k) => bestAfter(study, trials[s]![i]!, k))));
  const medians = best.map((row) => checkpoints.map((_, c) => median(row.map((cells) => cells[c] ?? NaN))));
  const header = `| seed | ${strategies.flatMap((strategy) => checkpoints.map((k) => `${strategy} @${k} ms`)).join(' | ')} |`;
  console.log(`\n${model}, concurrency ${concurrency}, ${duration} s windows after ${warmup} s warm-up`);
  console.log(`best = the measured mean latency of the GP posterior pick\n`);
  console.log(`${header}\n${header.replace(/[^|]+/g, '---')}`);
  seeds.forEach((seed, i) => console.log(`| ${seed} | ${best.flatMap((row) => row[i]!.map(ms)).join(' | ')} |`));
  console.log(`| median | ${medians.flat().map(ms).join(' | ')} |`);
  const [bo, random] = medians as [number[], number[]];
  console.log(`\nmedian BO / median random: ${checkpoints.map((k, c) => `${(bo[c]! / random[c]!).toFixed(3)} at ${k} trials`).join(', ')}`);
  const measured = trials.flat(2).filter(isMeasuredAttempt);
  const seconds = measured.reduce((sum, t) => sum + (Date.parse(t.finishedAt ?? t.startedAt) - Date.parse(t.startedAt)) / 1000, 0);
  console.log(`a trial took ${(seconds / measured.length).toFixed(1)} s on average (deploy, warm-up, window, teardown)`);
});
