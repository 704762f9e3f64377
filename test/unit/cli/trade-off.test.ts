/**
 * `--objective mean,cost` through the CLI, in process: the plan of a new trade-off study, the usage errors of a bad
 * list, and the front, hypervolume and knee that `tune best` and `tune report` show of a stored one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { objectiveList } from '../../../src/cli/option-parsers.ts';
import { TuneError } from '../../../src/app/errors.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import type { StoredSpace } from '../../../src/study/study-space.ts';
import { runCli as run } from '../../../support/in-process-cli.ts';
import { aStudy, someMetrics, someParams } from '../storage/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-tradeoff-'));
const db = join(dir, 'experiments.db');
const spacePath = fileURLToPath(new URL('../../../search-spaces/gan.json', import.meta.url));
const STUDY = 'gan-bo-c4-b5-s1-mean-cost';

/** Trials as [mean ms, USD per million requests], one failed: the front is #1, #2, #3 and its knee #2. */
function seedDatabase(): void {
  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  const space: StoredSpace = { origin: spacePath, document: JSON.parse(readFileSync(spacePath, 'utf8')), pinned: {} };
  const storage = opened.storage;
  storage.createStudy(aStudy({ id: STUDY, model: 'gan', concurrency: 4, budget: 5, objective: 'mean', objectives: ['mean', 'cost'], space }));
  const values: ([number, number] | undefined)[] = [[50, 6], [10, 10], [12, 3], [40, 2], undefined];
  values.forEach((pair, number) => {
    storage.startTrial(STUDY, number, { ...someParams, replicas: number + 1 });
    if (pair === undefined) return storage.finishTrial(STUDY, number, { state: 'failed', failureKind: 'oom_killed', failureMessage: 'killed' });
    const [meanMs, usd] = pair;
    storage.finishTrial(STUDY, number, { state: 'complete', metrics: someMetrics({ meanMs, usdPerMillionRequests: usd }), objectiveValue: meanMs });
  });
  storage.close();
}

describe('trade-off studies on the command line', () => {
  seedDatabase();
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fresh = ['--model', 'gan', '--concurrency', '4', '--budget', '6', '--db', join(dir, 'fresh.db'), '--dry-run'];

  test('--objective takes a list: the parser returns it in order', () => {
    assert.deepEqual(objectiveList('objective')('mean,cost'), ['mean', 'cost']);
    assert.deepEqual(objectiveList('objective')(['p99', 'cost,energy']), ['cost', 'energy'], 'the last of a repeated option wins');
    assert.throws(() => objectiveList('objective')('cost,cost'), (error: unknown) => error instanceof TuneError && error.kind === 'usage' && error.code === 'duplicate_objective');
  });

  test('a new mean,cost study plans a ParEGO search for the front, named by its objectives', async () => {
    const json = await run(...fresh, '--objective', 'mean,cost', '--json');
    assert.equal(json.code, 0, json.err);
    const plan = JSON.parse(json.out) as { study: string; objective: string; objectives: string[] };
    assert.deepEqual([plan.study, plan.objective, plan.objectives], ['gan-bo-c4-b6-s1-mean-cost', 'mean', ['mean', 'cost']]);
    const text = await run(...fresh, '--objective', 'mean,energy');
    assert.match(text.out, /Pareto front of mean latency, energy per request \(ParEGO\)/);
    const single = JSON.parse((await run(...fresh, '--objective', 'cost', '--json')).out) as { objective: string; objectives?: string[] };
    assert.deepEqual([single.objective, single.objectives], ['cost', undefined]);
  });

  test('a bad list is one usage line naming the problem', async () => {
    for (const [list, pattern] of [['mean,mean', /names mean twice/], ['mean,latency', /unknown objective "latency"/], ['mean,p99,cost,energy', /lists 4 objectives/]] as const) {
      const result = await run(...fresh, '--objective', list);
      assert.equal(result.code, 2, list);
      assert.match(result.err, pattern);
      assert.equal(result.err.split('\n').length, 1);
    }
  });

  test('tune best shows the front, the hypervolume and the knee', async () => {
    const result = await run('best', '--study', STUDY, '--db', db);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /objectives mean latency, cost per million requests/);
    assert.match(result.out, /Pareto front of mean latency against cost per million requests: 3 trial\(s\)/);
    const rows = result.out.split('\n').filter((line) => /^#\d/.test(line)).map((line) => line.split(/\s+/)[0]);
    assert.deepEqual(rows, ['#1', '#2', '#3'], 'by mean latency');
    assert.match(result.out, /^#2 knee/m);
    // Reference (55 ms, $11/M req): 2·1 + 28·8 + 15·9 = 361.
    assert.match(result.out, /hypervolume 361 up to the reference point \(55 ms, \$11\/M req/);
    assert.match(result.out, /knee: trial 2 \(12 ms, \$3\/M req\)/);
    const json = JSON.parse((await run('best', '--study', STUDY, '--db', db, '--json')).out) as { tradeoff: { hypervolumeByAttempt: number[]; knee: number } };
    assert.deepEqual(json.tradeoff.hypervolumeByAttempt.map(Math.round), [25, 65, 346, 361, 361]);
    assert.equal(json.tradeoff.knee, 2);
  });

  test('tune studies lists the objective list', async () => {
    const result = await run('studies', '--db', db);
    assert.match(result.out, /mean,cost/);
  });

  test('the report shows the front with its knee and the hypervolume plot', async () => {
    const out = join(dir, 'report.html');
    const result = await run('report', '--study', STUDY, '--db', db, '--out', out);
    assert.equal(result.code, 0, result.err);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<h3>Pareto front of mean latency against cost per million requests<\/h3>/);
    assert.match(html, /#2 knee/);
    assert.match(html, /aria-label="Hypervolume after each trial, mean latency against cost per million requests: gan, concurrency 4"/);
    assert.match(html, /aria-label="Pareto front of mean latency against cost per million requests, knee marked: gan-bo-c4-b5-s1-mean-cost"/);
  });
});
