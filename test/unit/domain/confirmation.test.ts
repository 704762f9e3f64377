import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockAnalysis, CONFIRMATION, confirmationVerdict, nextConfirmation } from '../../../src/domain/confirmation.ts';
import type { TrialRecord } from '../../../src/domain/records.ts';
import { attemptsSoFar, bestTrial } from '../../../src/domain/trials.ts';

const AT = '2026-12-04T00:00:00.000Z';

function searchTrial(number: number, value: number): TrialRecord {
  return { studyId: 's', number, state: 'complete', params: { x: number }, objectiveValue: value, startedAt: AT, finishedAt: AT };
}

/** Confirmation trials measuring `windows[k][r]` for contender `contenders[k]` in round r + 1, in interleaved order. */
function confirmationRounds(contenders: readonly number[], windows: readonly (readonly number[])[], firstNumber: number): TrialRecord[] {
  const trials: TrialRecord[] = [];
  const rounds = windows[0]?.length ?? 0;
  for (let r = 0; r < rounds; r += 1) {
    contenders.forEach((confirms, k) => {
      const number = firstNumber + trials.length;
      trials.push({ studyId: 's', number, state: 'complete', kind: 'confirmation', confirms, round: r + 1, params: { x: confirms }, objectiveValue: windows[k]![r]!, startedAt: AT, finishedAt: AT });
    });
  }
  return trials;
}

/** The confirmation a loop would run: ask nextConfirmation, measure with `value`, until it says done. */
function runConfirmation(search: TrialRecord[], contenders: number[], value: (confirms: number, round: number) => number | 'failed' | 'internal'): TrialRecord[] {
  const trials = [...search];
  for (let next = nextConfirmation(trials, contenders); next !== undefined; next = nextConfirmation(trials, contenders)) {
    const measured = value(next.confirms, next.round);
    const base = { studyId: 's', number: trials.length, kind: 'confirmation' as const, ...next, params: { x: next.confirms }, startedAt: AT, finishedAt: AT };
    if (measured === 'failed') trials.push({ ...base, state: 'failed', failureKind: 'oom_killed' });
    else if (measured === 'internal') trials.push({ ...base, state: 'failed', failureKind: 'internal' });
    else trials.push({ ...base, state: 'complete', objectiveValue: measured });
  }
  return trials;
}

const SEARCH = [searchTrial(0, 1000), searchTrial(1, 700), searchTrial(2, 690), searchTrial(3, 720)];

describe('confirmation rounds', () => {
  test('contenders are measured interleaved, A B C A B C, each round complete before the next', () => {
    const trials = runConfirmation(SEARCH, [2, 1, 3], (confirms, round) => 700 + confirms * 40 + round);
    const order = trials.slice(SEARCH.length).map((t) => `${t.confirms}@${t.round}`);
    assert.deepEqual(order, ['2@1', '1@1', '3@1', '2@2', '1@2', '3@2']);
  });

  test('a clearly better configuration is confirmed after the fewest rounds, with its margin and a high P(best)', () => {
    // Contender 1 is 10% faster in every round; the rounds drift together by up to 4%.
    const drift = [0, 30, -20, 10, 25];
    const trials = runConfirmation(SEARCH, [2, 1, 3], (confirms, round) => ({ 1: 630, 2: 700, 3: 705 })[confirms]! + drift[round - 1]! + (round % 2) * 3);
    const verdict = confirmationVerdict(trials);
    assert.equal(verdict?.status, 'confirmed');
    assert.equal(verdict?.rounds, CONFIRMATION.minRounds);
    assert.equal(verdict?.winner, 1);
    assert.equal(verdict?.searchPick, 2, 'the first contender is the one the search would have named');
    assert.equal(verdict?.runnerUp, 2);
    assert.ok(verdict?.margin && Math.abs(verdict.margin.value - 70) < 1 && verdict.margin.relative > 0.1);
    const winner = verdict?.standings[0];
    assert.equal(winner?.searchValue, 700);
    assert.ok((winner?.probabilityBest ?? 0) > 0.99);
    const total = verdict!.standings.reduce((sum, s) => sum + (s.probabilityBest ?? 0), 0);
    assert.ok(Math.abs(total - 1) < 1e-9, 'the probabilities of being best sum to one');
  });

  test('two equal configurations are left undecided after the last round, within the noise', () => {
    // Which of the two is ahead changes from round to round.
    const noise: Record<number, number[]> = { 1: [5, -8, 6, -4, 3], 2: [-6, 7, -5, 9, -2] };
    const trials = runConfirmation(SEARCH, [1, 2], (confirms, round) => 700 + noise[confirms]![round - 1]!);
    const verdict = confirmationVerdict(trials);
    assert.equal(verdict?.status, 'undecided');
    assert.equal(verdict?.rounds, CONFIRMATION.maxRounds);
    assert.equal(trials.length - SEARCH.length, 2 * CONFIRMATION.maxRounds);
    const best = verdict!.standings[0]!.probabilityBest!;
    assert.ok(best > 0.2 && best < 0.9, `P(best) ${best} stays far from certainty`);
    assert.ok(verdict?.margin && verdict.margin.ci95 > verdict.margin.value, 'the margin interval reaches zero');
  });

  test('a contender that fails when deployed again drops out; one left standing is unopposed', () => {
    const trials = runConfirmation(SEARCH, [2, 1], (confirms, round) => (confirms === 2 && round === 2 ? 'failed' : 700));
    const verdict = confirmationVerdict(trials);
    assert.equal(verdict?.status, 'unopposed');
    assert.equal(verdict?.winner, 1);
    assert.deepEqual(verdict?.standings.at(-1)?.failed, { round: 2, kind: 'oom_killed' });
    assert.equal(trials.length - SEARCH.length, 3, 'nothing is measured once the second contender is out');
  });

  test('a trial the machine failed settles nothing: the same slot is measured again', () => {
    let failedOnce = false;
    const trials = runConfirmation(SEARCH, [2, 1], (confirms, round) => {
      if (confirms === 1 && round === 1 && !failedOnce) return (failedOnce = true), 'internal';
      return confirms === 1 ? 600 : 700;
    });
    const slots = trials.slice(SEARCH.length).map((t) => `${t.confirms}@${t.round}:${t.state}`);
    assert.deepEqual(slots.slice(0, 3), ['2@1:complete', '1@1:failed', '1@1:complete']);
    assert.equal(confirmationVerdict(trials)?.status, 'confirmed');
  });

  test('confirmation trials never count toward the budget nor stand for the best search trial', () => {
    const trials = [...SEARCH, ...confirmationRounds([2, 1], [[650, 660], [500, 510]], SEARCH.length)];
    assert.equal(attemptsSoFar(trials), SEARCH.length);
    assert.equal(bestTrial(trials)?.number, 2, 'the best search trial, though a confirmation window was lower');
  });

  test('fewer than two contenders, or no rounds yet: nothing to run, nothing decided', () => {
    assert.equal(nextConfirmation(SEARCH, [2]), undefined);
    assert.equal(confirmationVerdict(SEARCH), undefined);
    const started = [...SEARCH, ...confirmationRounds([2], [[650]], SEARCH.length)];
    assert.equal(confirmationVerdict(started, [2, 1])?.status, 'unmeasured');
  });

  test('the block analysis is the paired t test for two contenders', () => {
    // Differences 10, 12, 8: mean 10, sd 2, se 2/√3; t = 8.66 > t(0.95, 2) = 2.92.
    const analysis = blockAnalysis([[100, 120, 90], [110, 132, 98]], 0.95);
    assert.equal(analysis?.separated, true);
    // The 95% interval of the difference: t(0.975, 2) · 2/√3 = 4.303 · 1.1547.
    assert.ok(Math.abs((analysis?.differenceCi95 ?? 0) - 4.303 * 1.1547) < 0.01);
    assert.equal(blockAnalysis([[100, 120, 90], [104, 119, 95]], 0.95)?.separated, false);
    assert.equal(blockAnalysis([[100], [110]], 0.95), undefined, 'one round has no residual');
  });
});
