import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isOurs, labelFilters, replicaLabels } from '../../../src/deploy/docker/labels.ts';

describe('labels', () => {
  const ours = replicaLabels('study-a', 3, 0);

  test('filters ask the engine for our tool label and a study label', () => {
    assert.deepEqual(labelFilters(), ['tune.tool=tune', 'tune.study']);
    assert.deepEqual(labelFilters({ studyId: 'x', trialNumber: 2 }), ['tune.tool=tune', 'tune.study', 'tune.study=x', 'tune.trial=2']);
  });

  test('a container is ours only with all our labels and a matching filter', () => {
    assert.equal(isOurs(ours), true);
    assert.equal(isOurs(ours, { studyId: 'study-a', trialNumber: 3 }), true);
    assert.equal(isOurs(ours, { studyId: 'study-b' }), false);
    assert.equal(isOurs(ours, { trialNumber: 4 }), false);
    assert.equal(isOurs({ 'tune.tool': 'tune' }), false);
    assert.equal(isOurs({ 'tune.study': 'study-a' }), false);
    assert.equal(isOurs(undefined), false);
  });
});
