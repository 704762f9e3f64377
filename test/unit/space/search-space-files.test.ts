import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { defaults, dimension, isFeasible, loadSearchSpace, pinParameters, unwrapSpace } from '../../../src/space/index.ts';

const KNOBS = ['replicas', 'cpus', 'memory_mb', 'max_batch_size', 'batch_timeout_us', 'intra_op_threads', 'inter_op_threads', 'execution_mode', 'graph_optimization_level', 'precision'];
const FILES = ['default', 'marian', 'bert', 'resnet', 'gan'];

describe('shipped search spaces', () => {
  for (const name of FILES) {
    test(`${name}.json loads, names every knob, and its defaults are the baseline`, async () => {
      const space = unwrapSpace(await loadSearchSpace(`search-spaces/${name}.json`, { host_cores: 2 }));
      assert.deepEqual(space.parameters.map((p) => p.name), KNOBS);
      const baseline = defaults(space);
      assert.equal(baseline['replicas'], 1);
      assert.equal(baseline['cpus'], 1);
      assert.equal(baseline['max_batch_size'], 1);
      assert.equal(baseline['batch_timeout_us'], 0);
      assert.equal(baseline['intra_op_threads'], 0);
      assert.equal(baseline['precision'], 'fp32');
      assert.equal(baseline['graph_optimization_level'], 'all');
      assert.ok(isFeasible(space, baseline));
      assert.equal(JSON.parse(readFileSync(`search-spaces/${name}.json`, 'utf8')).$schema, './schema.json');
    });
  }

  test('memory ranges leave room for each model in fp32', async () => {
    const needMb: Record<string, number> = { marian: 1536, bert: 700, resnet: 400, gan: 150 };
    for (const [name, need] of Object.entries(needMb)) {
      const space = unwrapSpace(await loadSearchSpace(`search-spaces/${name}.json`, { host_cores: 2 }));
      const memory = space.parameters.find((p) => p.name === 'memory_mb');
      assert.ok(memory?.kind === 'int' && memory.high > 1.5 * need && memory.default >= 1.5 * need, name);
    }
  });

  test('constraints read the host context', async () => {
    const space = unwrapSpace(await loadSearchSpace('search-spaces/default.json', { host_cores: 2 }));
    const base = defaults(space);
    assert.equal(isFeasible(space, { ...base, replicas: 2, cpus: 1 }), true);
    assert.equal(isFeasible(space, { ...base, replicas: 3, cpus: 1 }), false);
    assert.equal(isFeasible(space, { ...base, cpus: 0.75, intra_op_threads: 2 }), false);
    assert.equal(isFeasible(space, { ...base, cpus: 1.25, intra_op_threads: 2 }), true);
  });

  test('a missing file is one clear error', async () => {
    const result = await loadSearchSpace('search-spaces/nope.json');
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.message, 'search-spaces/nope.json: cannot read the search-space file (ENOENT); check the path');
  });
});

describe('pinning parameters', () => {
  test('removes them from the cube but keeps them in every configuration', async () => {
    const space = unwrapSpace(await loadSearchSpace('search-spaces/default.json', { host_cores: 2 }));
    const pinned = unwrapSpace(pinParameters(space, { precision: 'int8' }));
    assert.equal(dimension(pinned), dimension(space) - 2);
    assert.equal(defaults(pinned)['precision'], 'int8');
  });

  test('rejects unknown parameters and values outside the range', async () => {
    const space = unwrapSpace(await loadSearchSpace('search-spaces/default.json', { host_cores: 2 }));
    const unknown = pinParameters(space, { precison: 'int8' });
    assert.ok(!unknown.ok && unknown.error.code === 'pin_unknown_parameter');
    const outside = pinParameters(space, { precision: 'fp16' });
    assert.ok(!outside.ok && outside.error.message === 'search-spaces/default.json: cannot pin "precision" to "fp16": not a value the parameter allows');
  });
});
