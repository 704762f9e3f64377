import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ModelHost } from '../../../src/server/model-host.ts';
import type { Predictor } from '../../../src/server/served-model.ts';

/** Echoes instances back; counts drains. */
function echoPredictor() {
  const calls = { drains: 0 };
  const predictor: Predictor = {
    predict: async (instances) => ({ ok: true, value: instances }),
    full: () => undefined,
    drain: async () => void calls.drains++,
    close: async () => undefined,
  };
  return { predictor, calls };
}

describe('ModelHost', () => {
  test('refuses predictions with not_ready until a model is attached', async () => {
    const host = new ModelHost('gan');
    assert.equal(host.phase, 'loading');
    const early = await host.predict([1]);
    assert.equal(early.ok, false);
    if (!early.ok) assert.equal(early.error.code, 'not_ready');
    host.attach(echoPredictor().predictor);
    assert.equal(host.phase, 'ready');
    assert.equal(host.unavailable(), undefined);
    assert.deepEqual(await host.predict([1, 2]), { ok: true, value: [1, 2] });
  });

  test('stops serving once draining, even if loading finishes afterwards', async () => {
    const host = new ModelHost('gan');
    await host.drain();
    host.attach(echoPredictor().predictor);
    assert.equal(host.phase, 'stopping');
    assert.equal(host.unavailable()?.code, 'not_ready');
  });

  test('drain waits on the attached model and refuses new work', async () => {
    const host = new ModelHost('gan');
    const { predictor, calls } = echoPredictor();
    host.attach(predictor);
    await host.drain();
    assert.equal(calls.drains, 1);
    assert.equal((await host.predict([1])).ok, false);
  });

  test('reports a failed load with its reason', () => {
    const host = new ModelHost('gan');
    host.markFailed('manifest missing');
    assert.equal(host.phase, 'failed');
    assert.equal(host.failureMessage, 'manifest missing');
    assert.match(host.unavailable()?.message ?? '', /failed/);
  });
});
