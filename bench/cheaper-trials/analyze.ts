/**
 * The table of bench/cheaper-trials/run.sh's studies: per seed, wall time, best found and the time to come within
 * 5% of the best known (the lowest mean any study of the database measured), with early stopping and live
 * reconfiguration on and off; how many trials stopped early, how trials were deployed and whether a study's best
 * was ever a stopped trial. With --remeasure N, up to N stopped trials of each study are measured again in full,
 * alone, and compared with the incumbent they were stopped against.
 *
 *   npx tsx bench/cheaper-trials/analyze.ts --db bench/cheaper-trials/marian-c20-b50.db [--remeasure 3]
 */
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import type { StudyRecord, TrialRecord } from '../../src/domain/records.ts';
import { studyTimeSpent } from '../../src/domain/time-spent.ts';
import { bestTrial, byNumber, trialValue } from '../../src/domain/trials.ts';
import { formatDuration } from '../../src/report/format.ts';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { measureAlone } from '../shared/measure-alone.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, remeasure: { type: 'string', default: '0' } } });
if (values.db === undefined) throw new Error('--db <file> is required');
const opened = SqliteStorage.open(values.db, { readOnly: true });
if (!opened.ok) throw opened.error;
const studies = opened.storage.listStudies().map((study) => ({ study, trials: opened.storage.trials(study.id) }));
opened.storage.close();

const start = (trials: TrialRecord[]) => Date.parse(trials[0]?.startedAt ?? '');
const wallS = (trials: TrialRecord[]) => (Date.parse(byNumber(trials).at(-1)?.finishedAt ?? '') - start(trials)) / 1000;
const bestKnown = Math.min(...studies.flatMap(({ trials }) => trials.flatMap((t) => trialValue(t) ?? [])));

/** Seconds from the study's start until a trial within 5% of `target` had finished; NaN if none did. */
function secondsToNear(trials: TrialRecord[], target: number): number {
  const near = byNumber(trials).filter((t) => (trialValue(t) ?? Infinity) <= 1.05 * target);
  const first = Math.min(...near.map((t) => Date.parse(t.finishedAt ?? '')));
  return near.length === 0 ? Number.NaN : (first - start(trials)) / 1000;
}

const modeOf = (study: StudyRecord) => (study.earlyStop || study.reconfigure ? 'on' : 'off');
const rows = studies.map(({ study, trials }) => {
  const best = bestTrial(trials);
  const time = studyTimeSpent({ study, trials });
  return { study, trials, mode: modeOf(study), wallS: wallS(trials), best, nearS: secondsToNear(trials, bestKnown), time };
});

console.log(`${studies[0]?.study.model ?? '?'}, database ${values.db}; best known ${bestKnown.toFixed(1)} ms`);
console.log('| seed | mode | wall | best (ms) | within 5% of best known after | stopped early | saved | deploys (reconfigured / reloaded / fresh) | best stopped early? |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of [...rows].sort((a, b) => a.study.seed - b.study.seed || a.mode.localeCompare(b.mode))) {
  const d = r.time.byDeployMode;
  const cells = [r.study.seed, r.mode, formatDuration(r.wallS), `${r.best?.objectiveValue?.toFixed(1)} (trial ${r.best?.number})`, Number.isNaN(r.nearS) ? 'never' : formatDuration(r.nearS), r.time.stoppedEarly, formatDuration(r.time.savedByEarlyStopS), `${d.reconfigured} / ${d.reloaded} / ${d.fresh}`, r.best?.stoppedEarly ? 'YES' : 'no'];
  console.log(`| ${cells.join(' | ')} |`);
}
const seeds = [...new Set(rows.map((r) => r.study.seed))];
const pair = (seed: number) => [rows.find((r) => r.study.seed === seed && r.mode === 'on'), rows.find((r) => r.study.seed === seed && r.mode === 'off')] as const;
const paired = seeds.flatMap((seed) => {
  const [on, off] = pair(seed);
  return on && off ? [{ on, off }] : [];
});
if (paired.length > 0) {
  // The quality the study without cheaper trials ends with: how soon does each reach it (within 5%)?
  const toOffBest = paired.map(({ on, off }) => {
    const target = off.best?.objectiveValue ?? NaN;
    return { seed: on.study.seed, on: secondsToNear(on.trials, target), off: secondsToNear(off.trials, target) };
  });
  for (const t of toOffBest) console.log(`seed ${t.seed}: within 5% of off's best after ${formatDuration(t.on)} on, ${formatDuration(t.off)} off (${(t.on / t.off).toFixed(2)})`);
  const ratio = (pick: (r: (typeof rows)[number]) => number) => median(paired.map(({ on, off }) => pick(on) / pick(off)));
  console.log(
    `median on / off over ${paired.length} seed(s): wall ${ratio((r) => r.wallS).toFixed(2)}, best ${ratio((r) => r.best?.objectiveValue ?? NaN).toFixed(3)}, time to within 5% of the best known ${ratio((r) => r.nearS).toFixed(2)}, to within 5% of off's best ${median(toOffBest.map((t) => t.on / t.off)).toFixed(2)}`,
  );
}

const remeasure = Number(values.remeasure);
if (remeasure > 0) {
  console.log('| study | trial | stopped at (s) | its short-window mean (ms) | incumbent then (ms) | measured in full (ms) | would have beaten it? |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows.filter((row) => row.mode === 'on')) {
    const stopped = r.trials.filter((t) => t.stoppedEarly).slice(0, remeasure);
    for (const trial of stopped) {
      // The incumbent it was judged against: the best of the trials that had finished when it stopped.
      const before = r.trials.filter((t) => t.finishedAt !== undefined && Date.parse(t.finishedAt) < Date.parse(trial.finishedAt ?? ''));
      const incumbent = bestTrial(before)?.objectiveValue ?? NaN;
      const full = await measureAlone(trial.params, trial.number, { model: r.study.model, concurrency: r.study.concurrency, durationS: r.study.durationS, warmupS: r.study.warmupS, seed: r.study.seed });
      const cells = [r.study.id, trial.number, trial.metrics?.windowS.toFixed(1), trial.objectiveValue?.toFixed(1), incumbent.toFixed(1), `${full.mean.toFixed(1)} ± ${full.meanCi95.toFixed(1)}`, full.mean < incumbent ? 'YES' : 'no'];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
}
