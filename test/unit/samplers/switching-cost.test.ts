import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeployMode } from '../../../src/domain/records.ts';
import { SwitchingCostModel, UNSEEN_MODE_SHARE, type CostSample } from '../../../src/samplers/switching-cost.ts';

const sample = (mode: DeployMode, added: number, seconds: number): CostSample => ({ mode, added, seconds });
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);

/** Fresh deploys of 2.5 s plus 5.5 s a replica, the bench's costs. */
const freshLine = [sample('fresh', 1, 8), sample('fresh', 2, 13.5), sample('fresh', 4, 24.5)];

describe('switching-cost model', () => {
  test('fits a line in replicas through fresh deploys', () => {
    const model = SwitchingCostModel.fit(freshLine);
    close(model.perReplica, 5.5, 'per replica');
    close(model.predict({ mode: 'fresh', added: 3 }), 19, 'fresh, 3 replicas');
  });

  test('with one replica count seen, a fresh deploy is its mean, taken as proportional to replicas', () => {
    const model = SwitchingCostModel.fit([sample('fresh', 1, 7.6), sample('fresh', 1, 8.4)]);
    close(model.predict({ mode: 'fresh', added: 1 }), 8, 'fresh, the replica count seen');
    close(model.predict({ mode: 'fresh', added: 4 }), 32, 'fresh, 4 replicas');
  });

  test('kept deployments cost their mode’s mean plus the per-replica part of the replicas added', () => {
    const model = SwitchingCostModel.fit([...freshLine, sample('reconfigured', 0, 0.8), sample('reconfigured', 0, 1.2), sample('reloaded', 0, 3.5), sample('reloaded', 0, 4.5)]);
    close(model.predict({ mode: 'reconfigured', added: 0 }), 1, 'reconfigured');
    close(model.predict({ mode: 'reloaded', added: 0 }), 4, 'reloaded');
    close(model.predict({ mode: 'reconfigured', added: 2 }), 12, 'reconfigured, 2 replicas added');
  });

  test('learns the per-replica part from replicas added beside a reconfiguration when fresh deploys show one count', () => {
    const model = SwitchingCostModel.fit([sample('fresh', 1, 8), sample('reconfigured', 0, 1), sample('reconfigured', 2, 12)]);
    close(model.perReplica, 5.5, 'per replica');
    close(model.predict({ mode: 'fresh', added: 4 }), 24.5, 'fresh, 4 replicas');
    close(model.predict({ mode: 'reconfigured', added: 1 }), 6.5, 'reconfigured, 1 replica added');
  });

  test('a mode not observed yet takes its prior share of a fresh one-replica deploy', () => {
    const model = SwitchingCostModel.fit(freshLine);
    close(model.predict({ mode: 'reconfigured', added: 0 }), 8 * UNSEEN_MODE_SHARE.reconfigured, 'reconfigured');
    close(model.predict({ mode: 'reloaded', added: 1 }), 8 * UNSEEN_MODE_SHARE.reloaded + 5.5, 'reloaded, 1 replica added');
    // And the other way round: a fresh deploy inferred from reconfigurations alone.
    const kept = SwitchingCostModel.fit([sample('reconfigured', 0, 1)]);
    close(kept.predict({ mode: 'fresh', added: 1 }), 1 / UNSEEN_MODE_SHARE.reconfigured, 'fresh from reconfigurations');
  });

  test('without samples, every move is predicted alike', () => {
    const model = SwitchingCostModel.fit([]);
    const predictions = (['fresh', 'reconfigured', 'reloaded'] as const).flatMap((mode) => [0, 1, 4].map((added) => model.predict({ mode, added })));
    assert.equal(new Set(predictions).size, 1, `${predictions}`);
  });
});
