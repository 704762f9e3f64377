import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureModel } from '../../../src/models/index.ts';
import { CONFIG_DEFAULTS } from '../../../src/server/config.ts';
import type { ModelApp } from '../../../src/server/model-server.ts';
import { ROUTES, type ErrorBody, type PredictResponse } from '../../../src/server/protocol.ts';
import { post, quietApp } from './gan-app.ts';

const PREDICT = ROUTES.predict('bert');

interface Classification {
  label: number;
  scores: number[];
}

describe('text classifier runner over the real (synthetic) bert model', () => {
  let app: ModelApp;

  before(async () => {
    const modelDir = await ensureModel({ model: 'bert', precision: 'fp32' });
    app = quietApp({ ...CONFIG_DEFAULTS, modelDir, modelName: 'bert', maxBatchSize: 4, intraOpThreads: 2 }).app;
    await app.ready;
  });

  after(() => app.stop());

  async function classify(instances: unknown[]): Promise<Classification[]> {
    const response = await app.handler(post(PREDICT, JSON.stringify({ instances })));
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as PredictResponse).predictions as Classification[];
  }

  test('classifies text and input_ids into 11 scores with the argmax as label', async () => {
    const predictions = await classify([{ text: 'so happy about the game tonight!' }, { input_ids: [101, 2000, 3000, 4000, 102] }]);
    for (const { label, scores } of predictions) {
      assert.equal(scores.length, 11);
      assert.equal(label, scores.indexOf(Math.max(...scores)));
    }
    assert.notDeepEqual(predictions[0]!.scores, predictions[1]!.scores);
  });

  test('padding a short text in a batch with a long one leaves its scores unchanged', async () => {
    const short = { text: 'meh.' };
    const [alone] = await classify([short]);
    const [, padded] = await classify([{ text: 'a much longer tweet that goes on and on about the weather, the news and the game' }, short]);
    alone!.scores.forEach((score, i) => assert.ok(Math.abs(score - padded!.scores[i]!) < 1e-4, `score ${i}: ${score} vs ${padded!.scores[i]}`));
  });

  test('refuses text beyond maxSequence tokens with text_too_long', async () => {
    const response = await app.handler(post(PREDICT, JSON.stringify({ instances: [{ text: 'word '.repeat(400) }] })));
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'text_too_long');
  });
});
