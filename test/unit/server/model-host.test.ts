import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ModelHost } from '../../../src/server/model-host.ts';
import type { HostedModel } from '../../../src/server/served-model.ts';

/** Echoes instances back; counts drains. */
function echoPredictor() {
  const calls = { drains: 0 };
  const predictor: HostedModel = {
    predict: async (instances) => ({ ok: true, value: instances }),
    full: () => undefined,
    drain: async () => void calls.drains++,
    close: async () => undefined,
    activity: () => undefined,
    applyBatching: () => undefined,
    reloadSessions: async () => ({ ok: true, value: undefined }),
  };
  return { predictor, calls };
}

/** A promise and the function that settles it, for holding a reload open. */
function gate() {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
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

  test('while reloading, refuses predictions with 503 reloading and turns ready again once done', async () => {
    const host = new ModelHost('gan');
    host.attach(echoPredictor().predictor);
    const { opened, open } = gate();
    const reload = host.whileReloading(() => opened.then(() => 'swapped'));
    assert.equal(host.phase, 'reloading', 'at once, before anything is awaited');
    assert.equal(host.servingModel(), undefined);
    const refused = await host.predict([1]);
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.equal(refused.error.code, 'reloading');
    assert.equal(host.unavailable()?.code, 'reloading');
    open();
    assert.equal(await reload, 'swapped');
    assert.equal(host.phase, 'ready');
    assert.deepEqual(await host.predict([1]), { ok: true, value: [1] });
  });

  test('a host that starts stopping or fails during a reload stays so', async () => {
    for (const [what, interrupt, phase] of [
      ['drained', (host: ModelHost) => void host.drain(), 'stopping'],
      ['failed', (host: ModelHost) => host.markFailed('inference thread exited'), 'failed'],
    ] as const) {
      const host = new ModelHost('gan');
      host.attach(echoPredictor().predictor);
      const { opened, open } = gate();
      const reload = host.whileReloading(() => opened);
      interrupt(host);
      open();
      await reload;
      assert.equal(host.phase, phase, what);
    }
  });

  test('reports a failed load with its reason', () => {
    const host = new ModelHost('gan');
    host.markFailed('manifest missing');
    assert.equal(host.phase, 'failed');
    assert.equal(host.failureMessage, 'manifest missing');
    assert.match(host.unavailable()?.message ?? '', /failed/);
  });
});
