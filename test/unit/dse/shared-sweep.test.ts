/**
 * `tune sweep` on stored shared-model studies (--no-run): the configuration to run per level, by the shared
 * model, and the load at which it changes, in the text and the JSON, and the plot of the picks across load.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { prepareStudy } from '../../../src/app/study-setup.ts';
import { sweepCommand } from '../../../src/cli/commands/sweep.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import { aStudy, someMetrics, someParams } from '../storage/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-shared-sweep-'));
const db = join(dir, 'sweep.db');
const spacePath = fileURLToPath(new URL('../../../search-spaces/gan.json', import.meta.url));
const space = { origin: spacePath, document: JSON.parse(readFileSync(spacePath, 'utf8')), pinned: {} };

/** Trials as [mean ms, replicas, max batch size]: one replica wins at concurrency 1, four batching ones at 4. */
const LEVELS: Record<number, [number, number, number][]> = {
  1: [[10, 1, 1], [14, 4, 8], [12, 2, 1], [9, 1, 1]],
  4: [[40, 1, 1], [20, 4, 8], [30, 2, 1], [22, 4, 8]],
};

function seedDatabase(): void {
  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  const storage = opened.storage;
  for (const [level, trials] of Object.entries(LEVELS)) {
    const id = `gan-bo-c${level}-b4-s1-shared-c1-4`;
    storage.createStudy(aStudy({ id, model: 'gan', concurrency: Number(level), strategy: 'bo', budget: 4, space }));
    trials.forEach(([meanMs, replicas, batch], number) => {
      storage.startTrial(id, number, { ...someParams, replicas, max_batch_size: batch, cpus: 1 });
      storage.finishTrial(id, number, { state: 'complete', metrics: someMetrics({ meanMs }), objectiveValue: meanMs, histogram: [{ upperMs: meanMs, count: 10 }] });
    });
  }
  storage.close();
}

async function sweep(...argv: string[]): Promise<string> {
  const out: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: () => {} };
  await yargs(['sweep', ...argv]).command(sweepCommand(io)).strict().exitProcess(false).fail((message, error) => { throw error ?? new Error(message); }).parseAsync();
  return out.join('\n');
}

describe('sweep with a model shared across levels', () => {
  seedDatabase();
  const args = ['--model', 'gan', '--concurrency', '1,4', '--budget', '4', '--strategies', 'bo', '--no-run', '--db', db, '--out', join(dir, 'plots')];

  test('prints the pick per level and the load at which it changes', async () => {
    const out = await sweep(...args);
    assert.match(out, /^Best configuration per level \(BO posterior best, else best measured\):$/m);
    assert.match(out, /^1\s+gan-bo-c1-b4-s1-shared-c1-4 #[03]\s+[\d.]+ ms\s+(9|10) ms\s+replicas=1 /m);
    assert.match(out, /^4\s+gan-bo-c4-b4-s1-shared-c1-4 #[13]\s+[\d.]+ ms\s+(20|22) ms\s+replicas=4 /m);
    assert.match(out, /^the best configuration changes between concurrency 1 and 4( \(the model's crossover: about [\d.]+\))?: replicas 1 → 4, max_batch_size 1 → 8$/m);
    assert.ok(existsSync(join(dir, 'plots', 'gan-sweep-picks.svg')), 'the picks plot is written');
  });

  test('the JSON carries the picks and the changes', async () => {
    const outcome = JSON.parse(await sweep(...args, '--json')) as { picks: { concurrency: number }[]; changes: { below: number; above: number; changed: string[] }[] };
    assert.deepEqual(outcome.picks.map((p) => p.concurrency), [1, 4]);
    assert.deepEqual(outcome.changes.map(({ below, above, changed }) => ({ below, above, changed })), [{ below: 1, above: 4, changed: ['replicas', 'max_batch_size'] }]);
  });

  test('resuming one level alone is refused: the sweep continues the levels together', async () => {
    const opened = SqliteStorage.open(db);
    assert.ok(opened.ok);
    try {
      await assert.rejects(prepareStudy({ resume: 'gan-bo-c4-b4-s1-shared-c1-4', db }, opened.storage), {
        message: `study "gan-bo-c4-b4-s1-shared-c1-4" is one level of a sweep whose levels share one model: continue them together with: tune sweep --model gan --concurrency 1,4 --budget 4 --seed 1 --strategies bo --db ${db}`,
      });
    } finally {
      opened.storage.close();
    }
  });
});
