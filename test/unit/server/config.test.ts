import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFIG_DEFAULTS, knobEnv, knobsOf, parseServerConfig, parseServerKnobs, type ServerKnobs } from '../../../src/server/config.ts';
import { SERVER_ENV, SERVER_KNOBS } from '../../../src/server/protocol.ts';

const base = { [SERVER_ENV.modelDir]: '/models/gan' };
const NODE_ADDRESSES = ['127.0.0.1', '10.77.0.11'];

describe('parseServerConfig', () => {
  test('fills defaults around the model directory', () => {
    const parsed = parseServerConfig(base);
    assert.deepEqual(parsed, { ok: true, config: { ...CONFIG_DEFAULTS, modelDir: '/models/gan' } });
    assert.equal(CONFIG_DEFAULTS.host, '127.0.0.1');
  });

  test('reads every knob', () => {
    const parsed = parseServerConfig({
      ...base,
      [SERVER_ENV.modelName]: 'marian',
      [SERVER_ENV.host]: '0.0.0.0',
      [SERVER_ENV.port]: '9000',
      [SERVER_ENV.maxBatchSize]: '16',
      [SERVER_ENV.batchTimeoutUs]: '2500',
      [SERVER_ENV.queueBound]: '200',
      [SERVER_ENV.intraOpThreads]: '2',
      [SERVER_ENV.interOpThreads]: '1',
      [SERVER_ENV.executionMode]: 'parallel',
      [SERVER_ENV.graphOptimizationLevel]: 'basic',
      [SERVER_ENV.maxBodyBytes]: '1048576',
    });
    assert.deepEqual(parsed, {
      ok: true,
      config: {
        modelDir: '/models/gan',
        modelName: 'marian',
        host: '0.0.0.0',
        port: 9000,
        maxBatchSize: 16,
        batchTimeoutUs: 2500,
        queueBound: 200,
        intraOpThreads: 2,
        interOpThreads: 1,
        executionMode: 'parallel',
        graphOptimizationLevel: 'basic',
        maxBodyBytes: 1048576,
      },
    });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['a missing model directory', {}, /TUNE_MODEL_DIR is not set/],
    ['a non-numeric batch size', { ...base, [SERVER_ENV.maxBatchSize]: 'big' }, /TUNE_MAX_BATCH_SIZE="big" is invalid: expected an integer from 1/],
    ['a zero batch size', { ...base, [SERVER_ENV.maxBatchSize]: '0' }, /TUNE_MAX_BATCH_SIZE/],
    ['a fractional timeout', { ...base, [SERVER_ENV.batchTimeoutUs]: '1.5' }, /TUNE_BATCH_TIMEOUT_US/],
    ['a negative thread count', { ...base, [SERVER_ENV.intraOpThreads]: '-1' }, /TUNE_INTRA_OP_THREADS/],
    ['a port out of range', { ...base, [SERVER_ENV.port]: '70000' }, /TUNE_PORT/],
    ['an unknown execution mode', { ...base, [SERVER_ENV.executionMode]: 'turbo' }, /TUNE_EXECUTION_MODE="turbo" is invalid: expected one of sequential, parallel/],
    ['an unknown optimization level', { ...base, [SERVER_ENV.graphOptimizationLevel]: 'max' }, /TUNE_GRAPH_OPT_LEVEL/],
    ['a model name that needs escaping', { ...base, [SERVER_ENV.modelName]: 'a/b' }, /TUNE_MODEL_NAME/],
    ['a subnet this host has no address in', { ...base, [SERVER_ENV.host]: '10.99.0.0/24' }, /no address in that subnet \(it has 127.0.0.1, 10.77.0.11\)/],
    ['a malformed subnet', { ...base, [SERVER_ENV.host]: '10.77.0.0/40' }, /TUNE_HOST="10.77.0.0\/40" is invalid/],
    ['a slot of zero', { ...base, [SERVER_ENV.portSlot]: '0' }, /TUNE_PORT_SLOT/],
    ['a slot past the last port', { ...base, [SERVER_ENV.port]: '65535', [SERVER_ENV.portSlot]: '2' }, /past port 65535/],
  ];

  for (const [what, env, message] of bad) {
    test(`refuses ${what} in one line`, () => {
      const parsed = parseServerConfig(env, NODE_ADDRESSES);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.equal(parsed.code, 'bad_config');
      assert.match(parsed.message, message);
      assert.doesNotMatch(parsed.message, /\n/);
    });
  }

  test('a subnet as the host binds this node\'s own address in it, one environment for every node', () => {
    const parsed = parseServerConfig({ ...base, [SERVER_ENV.host]: '10.77.0.0/24' }, NODE_ADDRESSES);
    assert.ok(parsed.ok);
    assert.equal(parsed.config.host, '10.77.0.11');
    const elsewhere = parseServerConfig({ ...base, [SERVER_ENV.host]: '10.77.0.0/24' }, ['127.0.0.1', '10.77.0.12']);
    assert.ok(elsewhere.ok && elsewhere.config.host === '10.77.0.12');
  });

  test('a replica slot moves the port up from the base, so tasks sharing an environment never collide', () => {
    const port = (slot: string) => {
      const parsed = parseServerConfig({ ...base, [SERVER_ENV.port]: '20000', [SERVER_ENV.portSlot]: slot });
      return parsed.ok ? parsed.config.port : undefined;
    };
    assert.deepEqual([port('1'), port('2'), port('4')], [20000, 20001, 20003]);
  });
});

describe('parseServerKnobs', () => {
  const running: ServerKnobs = { ...knobsOf(CONFIG_DEFAULTS), maxBatchSize: 8, intraOpThreads: 2, graphOptimizationLevel: 'basic' };

  test('knobs left out, or empty, keep the fallback; the ones given replace it', () => {
    assert.deepEqual(parseServerKnobs({ [SERVER_ENV.queueBound]: '10', [SERVER_ENV.interOpThreads]: '' }, running), {
      ok: true,
      knobs: { ...running, queueBound: 10 },
    });
    assert.deepEqual(parseServerKnobs({}), { ok: true, knobs: knobsOf(CONFIG_DEFAULTS) });
  });

  test('refuses every bad value with the very line the environment parser gives', () => {
    const bad: Record<string, string> = {
      [SERVER_ENV.maxBatchSize]: '4097',
      [SERVER_ENV.batchTimeoutUs]: '-5',
      [SERVER_ENV.queueBound]: '1e3',
      [SERVER_ENV.intraOpThreads]: 'two',
      [SERVER_ENV.interOpThreads]: '1.0',
      [SERVER_ENV.executionMode]: 'Parallel',
      [SERVER_ENV.graphOptimizationLevel]: 'none',
    };
    for (const [name, value] of Object.entries(bad)) {
      const live = parseServerKnobs({ [name]: value }, running);
      const fromEnv = parseServerConfig({ ...base, [name]: value });
      assert.ok(!live.ok && !fromEnv.ok, name);
      assert.equal(live.message, fromEnv.message);
      assert.match(live.message, new RegExp(`^${name}=`));
    }
  });

  test('knobEnv spells every knob as the environment does, and parses back to the same knobs', () => {
    const env = knobEnv(running);
    assert.deepEqual(Object.keys(env), SERVER_KNOBS.map((knob) => SERVER_ENV[knob]));
    assert.equal(env.TUNE_MAX_BATCH_SIZE, '8');
    assert.equal(env.TUNE_GRAPH_OPT_LEVEL, 'basic');
    assert.deepEqual(parseServerKnobs(env), { ok: true, knobs: running });
  });
});
