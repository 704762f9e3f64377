/**
 * Confirmation rounds through the real CLI, containers and load: a two-configuration study (gan at 1 CPU, then at
 * a tenth of one) spends its budget, then measures both again in interleaved whole windows. Ctrl-C in the middle
 * of a round stops it cleanly; resume finishes the confirmation, names the confirmed winner, and leaves nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { leftovers, removeStudyContainers, trialRows } from '../../support/study-state.ts';
import { runTune, startTune, waitFor } from '../../support/tune-process.ts';
import { requireDocker } from './docker-available.ts';

const SPACE = fileURLToPath(new URL('../../support/spaces/gan-cpu-pair.json', import.meta.url));
const DURATION_S = 3;

const docker = createDockerClient();
const dir = mkdtempSync(join(tmpdir(), 'tune-confirm-'));
const name = `confirm-${process.pid}`;

after(async () => {
  await removeStudyContainers(docker, name);
  rmSync(dir, { recursive: true, force: true });
});

test('the winner is confirmed in interleaved whole windows, through a Ctrl-C and a resume, apart from the budget', { timeout: 600_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const db = join(dir, 'confirm.db');
  const args = ['--model', 'gan', '--concurrency', '4', '--budget', '2', '--strategy', 'grid', '--space', SPACE, '--confirm', '2', '--duration', String(DURATION_S), '--warmup', '1', '--name', name, '--db', db];
  const first = startTune(args);
  // The second contender's first confirmation window: both contenders have been deployed again by then.
  await waitFor('a confirmation trial of round 1 to run', () => trialRows(db, name).some((r) => r.kind === 'confirmation' && r.state === 'running' && r.number === 3), 240_000);
  first.kill('SIGINT');
  const stopped = await first.exited;
  assert.notEqual(stopped.code, 0);
  assert.ok(first.stderr.some((line) => line.includes(`--resume ${name}`)), first.stderr.join('\n'));
  assert.equal(trialRows(db, name).find((r) => r.number === 3)?.state, 'interrupted');
  assert.deepEqual(await leftovers(docker, name), []);

  const resumed = await runTune(['--resume', name, '--db', db]);
  assert.equal(resumed.code, 0, resumed.stderr.join('\n'));
  const rows = trialRows(db, name);
  const search = rows.filter((r) => r.kind === 'search');
  const confirmation = rows.filter((r) => r.kind === 'confirmation' && r.state !== 'interrupted');
  assert.equal(search.length, 2, 'the budget holds the search trials only');
  assert.ok(confirmation.length >= 4, `two contenders, at least two rounds: ${confirmation.length} confirmation trials`);
  assert.deepEqual(confirmation.slice(0, 4).map((r) => [r.confirms, r.round]), [[0, 1], [1, 1], [0, 2], [1, 2]], 'interleaved: A B, A B');
  for (const row of confirmation) {
    assert.equal(row.state, 'complete');
    assert.equal(row.stopped_early, 0, 'a confirmation window is never cut short');
    assert.ok(Number(row.window_s) >= DURATION_S - 0.5, `window of ${String(row.window_s)} s`);
  }
  assert.ok(resumed.stdout.some((line) => line.startsWith('confirmed: trial 0 is best')), resumed.stdout.join('\n'));

  const best = await runTune(['best', '--study', name, '--db', db, '--json']);
  const summary = JSON.parse(best.stdout.join('\n')) as { counts: Record<string, number>; confirmation: { status: string; winner: number; runnerUp: number; standings: { number: number; probabilityBest: number }[] } };
  assert.deepEqual([summary.confirmation.status, summary.confirmation.winner, summary.confirmation.runnerUp], ['confirmed', 0, 1]);
  assert.ok((summary.confirmation.standings[0]?.probabilityBest ?? 0) > 0.95);
  assert.equal(summary.counts.complete, 2, 'the counts are the search trials');
  const listing = await runTune(['trials', '--study', name, '--db', db]);
  assert.ok(listing.stdout.some((line) => /confirms 1 r2/.test(line)), listing.stdout.join('\n'));
  assert.deepEqual(await leftovers(docker, name), []);
});
