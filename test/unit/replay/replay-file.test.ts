/** The replay file: what a study's export holds, that it reads back as written, and one-line errors for a bad file. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import { replayOfStudy } from '../../../src/replay/from-study.ts';
import { formatReplay, parseReplay, parseReplayText, type ReplayFile } from '../../../src/replay/replay-file.ts';
import { replaySpace } from '../../../src/replay/replay-space.ts';
import { assertOneLine } from '../../../support/one-line.ts';
import { at, recordEveryKindOfTrial, replayStudyRecord, syntheticReplay } from './fixtures.ts';

function storedStudy(): MemoryStorage {
  const storage = new MemoryStorage();
  recordEveryKindOfTrial(storage);
  return storage;
}

function exported(storage: MemoryStorage, id = replayStudyRecord().id): ReplayFile {
  const made = replayOfStudy(storage.getStudy(id)!, storage.trials(id));
  assert.ok(made.ok, made.ok ? '' : made.message);
  return made.replay;
}

describe('replay file', () => {
  test('an export holds the measured search attempts alone, with their outcomes and windows', () => {
    const replay = exported(storedStudy());
    assert.deepEqual(replay.trials.map((t) => t.number), [0, 1, 4, 5, 8]);
    assert.deepEqual(replay.study, {
      id: 'synthetic-bo-c8-b40-s1', model: 'synthetic', concurrency: 8, objective: 'mean', strategy: 'bo', seed: 1, budget: 30, durationS: 30, warmupS: 5,
      host: { cpus: 4, cpuModel: 'Test CPU', memoryBytes: 8 * 2 ** 30 },
    });
    assert.deepEqual(replay.space, replayStudyRecord().space);
    const [baseline, oom, stopped, slo, silent] = replay.trials;
    assert.deepEqual(baseline, { number: 0, params: at(1), state: 'complete', value: 40, measured: { meanMs: 40, meanCi95Ms: 0.8, p99Ms: 80, throughputRps: 188.2, windowS: 10, stoppedEarly: false } });
    assert.deepEqual(oom, { number: 1, params: at(1, 32), state: 'failed', failureKind: 'oom_killed', failureMessage: 'replica 1 was OOM-killed' });
    assert.ok(stopped?.state === 'complete' && stopped.measured?.stoppedEarly === true && stopped.measured.windowS === 2.5);
    assert.ok(slo?.state === 'failed' && slo.failureKind === 'slo_violated' && slo.measured?.p99Ms === 310);
    assert.deepEqual(silent, { number: 8, params: at(1, 16), state: 'failed', failureKind: 'no_responses', failureMessage: 'no request succeeded in the measurement window' }, 'a window without a mean is written without its figures');
  });

  test('the written text reads back to the same replay, one trial a line', () => {
    const replay = exported(storedStudy());
    const text = formatReplay(replay);
    const read = parseReplayText(text, 'x.replay.json');
    assert.ok(read.ok, read.ok ? '' : read.error.message);
    assert.deepEqual(read.value, replay);
    assert.deepEqual(JSON.parse(text), replay);
    assert.equal(text.split('\n').filter((line) => line.includes('"number"')).length, 5);
    assert.ok(replaySpace(read.value, 'x.replay.json').ok);
  });

  test('a study with several objectives, or no complete trial, is refused in one line', () => {
    const storage = storedStudy();
    storage.createStudy(replayStudyRecord({ id: 'trade-off', objectives: ['mean', 'cost'] }));
    const several = replayOfStudy(storage.getStudy('trade-off')!, []);
    assert.ok(!several.ok && several.code === 'several_objectives');
    assert.match(several.message, /study "trade-off" minimises mean, cost at once: a replay holds one objective/);
    storage.createStudy(replayStudyRecord({ id: 'all-failed' }));
    storage.startTrial('all-failed', 0, at(1, 32));
    storage.finishTrial('all-failed', 0, { state: 'failed', failureKind: 'oom_killed' });
    const none = replayOfStudy(storage.getStudy('all-failed')!, storage.trials('all-failed'));
    assert.ok(!none.ok && none.code === 'no_complete_trial');
    assert.match(none.message, /no complete trial to fit a replay to: continue it first with: tune --resume all-failed/);
    for (const refusal of [several, none]) if (!refusal.ok) assertOneLine(refusal.message, refusal.code);
  });

  test('a bad file is refused with a stable code and one line naming the file and the field', () => {
    const good = JSON.parse(formatReplay(syntheticReplay(6))) as Record<string, unknown>;
    const trials = good.trials as Record<string, unknown>[];
    const cases: [unknown, string, RegExp][] = [
      [[], 'replay_not_a_replay', /^f\.json: not a replay file/],
      [{ ...good, format: 'optuna' }, 'replay_not_a_replay', /"format" is "optuna", expected "tune-replay"/],
      [{ ...good, version: 2 }, 'replay_unsupported_version', /replay version 2 is not supported \(this version reads 1\)/],
      [{ ...good, study: { ...(good.study as object), concurrency: 0 } }, 'replay_bad_field', /^f\.json: "study": "concurrency" must be an integer ≥ 1, got 0$/],
      [{ ...good, study: { ...(good.study as object), objective: 'speed' } }, 'replay_bad_field', /"objective" must be one of mean, p99, cost, energy, got "speed"/],
      [{ ...good, space: { document: {} } }, 'replay_bad_field', /"space" must be a stored search space/],
      [{ ...good, trials: [{ ...trials[0], value: -1 }] }, 'replay_bad_field', /^f\.json: trials\[0\]: "value" must be a positive number, got -1$/],
      [{ ...good, trials: [{ ...trials[0], state: 'running' }] }, 'replay_bad_field', /trials\[0\]: "state" must be "complete" or "failed", got "running"/],
      [{ ...good, trials: [{ ...trials[0], params: { replicas: null } }] }, 'replay_bad_field', /parameter "replicas" must be a number or a string, got null/],
      [{ ...good, trials: [trials[0], trials[0]] }, 'replay_duplicate_trial', /trial 0 appears more than once/],
      [{ ...good, trials: [{ number: 0, params: {}, state: 'failed', failureKind: 'crashed' }] }, 'replay_no_complete_trial', /no complete trial/],
    ];
    for (const [document, code, message] of cases) {
      const read = parseReplay(document, 'f.json');
      assert.ok(!read.ok, `${code} accepted`);
      assert.equal(read.error.code, code, read.error.message);
      assert.match(read.error.message, message);
      assertOneLine(read.error.message, code);
    }
    const broken = parseReplayText('{"format": "tune-replay",\n', 'f.json');
    assert.ok(!broken.ok && broken.error.code === 'replay_invalid_json');
    assertOneLine(broken.error.message, 'invalid JSON');
  });

  test('a trial outside the stored space, or a space that no longer parses, is refused when the space is rebuilt', () => {
    const replay = syntheticReplay(6);
    const outside = replaySpace({ ...replay, trials: [{ ...replay.trials[0]!, params: { ...replay.trials[0]!.params, max_batch_size: 3 } }] }, 'f.json');
    assert.ok(!outside.ok && outside.error.code === 'replay_trial_outside_space');
    assert.match(outside.error.message, /^f\.json: trial 0 has max_batch_size = 3, not a value of the study's space$/);
    const badSpace = replaySpace({ ...replay, space: { ...replay.space, document: { parameters: [] } } }, 'f.json');
    assert.ok(!badSpace.ok && badSpace.error.code === 'replay_bad_space');
    assertOneLine(badSpace.error.message, 'bad space');
  });
});
