import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TuneError } from '../../../src/app/errors.ts';
import { latencyMs, listOfChoices, listOfWholeNumbers, oneOf, seconds, singleObjective, wholeNumber } from '../../../src/cli/option-parsers.ts';

function usage(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof TuneError && error.kind === 'usage' && pattern.test(error.message));
}

describe('option parsers', () => {
  test('a campaign takes one objective and sends a trade-off to tune', () => {
    assert.equal(singleObjective('objective')(' p99 '), 'p99');
    usage(() => singleObjective('objective')('mean,cost'), /^--objective "mean,cost": this command compares on one objective; search a trade-off with: tune --objective mean,cost$/);
    usage(() => singleObjective('objective')('latency'), /^unknown --objective "latency": choose mean, p99, cost or energy$/);
  });

  test('whole numbers within bounds; the last of a repeated option wins', () => {
    assert.equal(wholeNumber('budget', 1)('12'), 12);
    assert.equal(wholeNumber('budget', 1)(['3', '7']), 7);
    usage(() => wholeNumber('budget', 1)('0'), /--budget must be a whole number from 1/);
    usage(() => wholeNumber('budget', 1)('2.5'), /got "2.5"/);
    usage(() => wholeNumber('budget', 1)('ten'), /got "ten"/);
  });

  test('durations: bare seconds or with a unit', () => {
    assert.equal(seconds('duration', 1)('30'), 30);
    assert.equal(seconds('duration', 1)('1.5m'), 90);
    assert.equal(seconds('warmup', 0)('500ms'), 0.5);
    assert.equal(seconds('warmup', 0)('0'), 0);
    usage(() => seconds('duration', 1)('0.5'), /--duration must be a time of at least 1 s/);
    usage(() => seconds('duration', 1)('3 hours'), /got "3 hours"/);
  });

  test('latencies need a unit', () => {
    assert.equal(latencyMs('slo-p99')('200ms'), 200);
    assert.equal(latencyMs('slo-p99')('0.25s'), 250);
    assert.equal(latencyMs('slo-p99')('1500us'), 1.5);
    usage(() => latencyMs('slo-p99')('200'), /with a unit/);
    usage(() => latencyMs('slo-p99')('200xs'), /got "200xs"/);
    usage(() => latencyMs('slo-p99')('0ms'), /--slo-p99/);
  });

  test('choices and lists', () => {
    assert.equal(oneOf('strategy', ['bo', 'random'])('bo'), 'bo');
    usage(() => oneOf('strategy', ['bo', 'random', 'grid'])('sa'), /unknown --strategy "sa": choose bo, random or grid/);
    assert.deepEqual(listOfChoices('precision', ['fp32', 'int8'])('fp32,int8,fp32'), ['fp32', 'int8']);
    assert.deepEqual(listOfWholeNumbers('seeds', 0)('1, 2,3'), [1, 2, 3]);
    usage(() => listOfWholeNumbers('seeds', 0)('1,x'), /--seeds/);
  });
});
