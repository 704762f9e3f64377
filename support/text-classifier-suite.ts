/**
 * The text classifier runner's tests, over whichever text classifier model directory they are given: a
 * tiny one in the unit tests (text-classifier.test.ts), the full-size bert in
 * test/integration/full-size-runners.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClassifierTextManifest } from '../src/models/manifest.ts';
import type { ModelApp } from '../src/server/model-server.ts';
import type { ErrorBody, PredictResponse } from '../src/server/protocol.ts';
import { post, readyModelApp } from './gan-app.ts';

interface Classification {
  label: number;
  scores: number[];
}

export function textClassifierRunnerSuite(title: string, modelDir: () => Promise<string>): void {
  describe(title, () => {
    let app: ModelApp;
    let manifest: ClassifierTextManifest;
    let predict: string;

    before(async () => {
      const dir = await modelDir();
      ({ app, manifest, predict } = await readyModelApp(dir, 'classifier-text', 2));
    });

    after(() => app?.stop());

    async function classify(instances: unknown[]): Promise<Classification[]> {
      const response = await app.handler(post(predict, JSON.stringify({ instances })));
      assert.equal(response.status, 200, await response.clone().text());
      return ((await response.json()) as PredictResponse).predictions as Classification[];
    }

    test('classifies text and input_ids into one score per class with the argmax as label', async () => {
      const ids = [manifest.clsId, ...[2000, 3000, 4000].map((id) => id % manifest.vocabSize), manifest.sepId];
      const predictions = await classify([{ text: 'so happy about the game tonight!' }, { input_ids: ids }]);
      for (const { label, scores } of predictions) {
        assert.equal(scores.length, manifest.classes);
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
      const response = await app.handler(post(predict, JSON.stringify({ instances: [{ text: 'word '.repeat(manifest.maxSequence) }] })));
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as ErrorBody).error.code, 'text_too_long');
    });
  });
}
