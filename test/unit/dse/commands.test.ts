/**
 * `tune sweep` and `tune variants` on stored studies (--no-run): the command modules parsed by yargs as the CLI
 * does, against a real SQLite file, real plots and the real built-in GAN models for the fidelity check.
 * Nothing is deployed, so no Docker is needed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { sweepCommand } from '../../../src/cli/commands/sweep.ts';
import { variantsCommand } from '../../../src/cli/commands/variants.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { Params } from '../../../src/space/params.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import type { StoredSpace } from '../../../src/study/study-space.ts';
import { aStudy, someMetrics, someParams } from '../storage/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-dse-'));
const db = join(dir, 'dse.db');
const spacePath = fileURLToPath(new URL('../../../search-spaces/gan.json', import.meta.url));

function storedSpace(pinned: Params): StoredSpace {
  return { origin: spacePath, document: JSON.parse(readFileSync(spacePath, 'utf8')), pinned };
}

/** Trials as [mean ms, p99 ms, USD per million requests, replicas]. */
function seed(storage: SqliteStorage, id: string, overrides: Parameters<typeof aStudy>[0], trials: [number, number, number, number][], pinned: Params = {}): void {
  storage.createStudy(aStudy({ id, model: 'gan', budget: trials.length, space: storedSpace(pinned), ...overrides }));
  trials.forEach(([meanMs, p99Ms, usd, replicas], number) => {
    storage.startTrial(id, number, { ...someParams, ...pinned, replicas });
    const metrics = someMetrics({ meanMs, p99Ms, usdPerMillionRequests: usd, throughputRps: 1000 / meanMs });
    storage.finishTrial(id, number, { state: 'complete', metrics, objectiveValue: meanMs, histogram: [{ upperMs: meanMs, count: 9 }, { upperMs: p99Ms, count: 1 }] });
  });
}

function seedDatabase(): void {
  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  const s = opened.storage;
  seed(s, 'gan-bo-c1-b3-s1', { concurrency: 1, strategy: 'bo' }, [[20, 40, 5, 1], [10, 30, 9, 2], [12, 20, 4, 1]]);
  seed(s, 'gan-random-c1-b3-s1', { concurrency: 1, strategy: 'random' }, [[20, 40, 5, 1], [15, 30, 6, 3], [30, 60, 2, 1]]);
  seed(s, 'gan-bo-c4-b3-s1', { concurrency: 4, strategy: 'bo' }, [[80, 200, 5, 1], [40, 90, 12, 4], [50, 150, 7, 2]]);
  seed(s, 'gan-random-c4-b3-s1', { concurrency: 4, strategy: 'random' }, [[80, 200, 5, 1], [100, 300, 3, 3], [60, 120, 8, 2]]);
  seed(s, 'gan-bo-c2-b2-s1-fp32', { concurrency: 2 }, [[30, 60, 5, 1], [20, 50, 4, 2]], { precision: 'fp32' });
  seed(s, 'gan-bo-c2-b2-s1-int8', { concurrency: 2 }, [[25, 50, 4, 1], [40, 90, 6, 2]], { precision: 'int8' });
  s.close();
}

async function run(command: 'sweep' | 'variants', ...argv: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
  await yargs([command, ...argv]).command(sweepCommand(io)).command(variantsCommand(io)).strict().exitProcess(false).fail((message, error) => { throw error ?? new Error(message); }).parseAsync();
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('design-space commands on stored studies', () => {
  seedDatabase();

  test('sweep: a row per level with the gain, Pareto listings, the SLO saving and three plots', async () => {
    const plots = join(dir, 'plots');
    const { out, err } = await run('sweep', '--model', 'gan', '--concurrency', '4,1', '--budget', '3', '--no-run', '--db', db, '--slo-p99', '100ms', '--out', plots, '--independent-levels');
    const lines = out.split('\n');
    assert.match(lines[0]!, /^concurrency\s+bo best mean ms\s+random best mean ms\s+gain \(random\/bo\)\s+best configuration$/);
    assert.match(lines[1]!, /^1\s+10\s+15\s+1\.50×\s+bo #1: replicas=2 /);
    assert.match(lines[2]!, /^4\s+40\s+60\s+1\.50×\s+bo #1: replicas=4 /);
    assert.match(out, /^Pareto front, mean latency against cost: gan at concurrency 4$/m);
    // At concurrency 4 the fastest (40 ms) costs 12 USD/M; the cheapest with p99 ≤ 100 ms is that same trial.
    assert.match(out, /SLO at concurrency 4:\nfastest: gan-bo-c4-b3-s1 #1.*\ncheapest with p99 ≤ 100 ms: gan-bo-c4-b3-s1 #1.*\nsaving: 0\.0%/);
    assert.match(out, /SLO at concurrency 1:\nfastest: gan-bo-c1-b3-s1 #1.*\ncheapest with p99 ≤ 100 ms: gan-random-c1-b3-s1 #2.*\nsaving: 77\.8% cheaper/);
    for (const name of ['gan-sweep-latency', 'gan-sweep-gain', 'gan-sweep-rtt']) {
      assert.ok(existsSync(join(plots, `${name}.svg`)) && existsSync(join(plots, `${name}.png`)), `${name} written`);
    }
    assert.match(err, /plots written/);
  });

  test('sweep --no-run refuses a study that was never run, naming it', async () => {
    await assert.rejects(run('sweep', '--model', 'gan', '--concurrency', '8', '--budget', '3', '--no-run', '--db', db), /study gan-bo-c8-b3-s1 is not in .*: run without --no-run to create it/);
  });

  test('variants: each precision at its best, with size on disk and fidelity against fp32 run in-process', async () => {
    const { out } = await run('variants', '--model', 'gan', '--concurrency', '2', '--budget', '2', '--no-run', '--db', db, '--fidelity-instances', '8');
    const lines = out.split('\n');
    assert.match(lines[1]!, /^fp32\s+5\.6\d?\s+1\s+20\s+50\s+50\s+1\.00×\s+4\s+100\.0% top-1 agreement \(8\/8 exact\)$/);
    assert.match(lines[2]!, /^int8\s+1\.4\d?\s+0\s+25\s+50\s+40\s+0\.80×\s+4\s+[\d.]+% top-1 agreement \(\d\/8 exact\)$/);
  });

  test('variants --references on a built-in model says why BLEU cannot apply', async () => {
    const references = join(dir, 'refs.tsv');
    writeFileSync(references, '我读书。\tI read books.\n');
    const { out } = await run('variants', '--model', 'gan', '--concurrency', '2', '--budget', '2', '--no-run', '--db', db, '--references', references, '--precisions', 'fp32');
    assert.match(out, /BLEU fp32: BLEU applies to translators only/);
  });
});
