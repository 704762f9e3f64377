/**
 * The translator runner's tests, over whichever translator model directory they are given: a tiny one
 * in the unit tests (translator.test.ts), the full-size marian in test/integration/full-size-runners.test.ts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { TranslatorManifest } from '../src/models/manifest.ts';
import type { ModelApp } from '../src/server/model-server.ts';
import type { ErrorBody, PredictResponse } from '../src/server/protocol.ts';
import { padBatch } from '../src/server/runners/padding.ts';
import { feedsFor, pastFromPresent, type Feeds } from '../src/server/runners/decoder-feeds.ts';
import { argmaxExcept } from '../src/server/runners/translator-runner.ts';
import { post, readyModelApp } from './gan-app.ts';

/** A source of `length` tokens ending in EOS; the others in 10..vocab-11, clear of EOS 0 and pad vocab-1. */
function source(length: number, seed: number, manifest: TranslatorManifest): number[] {
  return [...Array.from({ length: length - 1 }, (_, i) => 10 + ((seed * 131 + i * 977) % (manifest.vocabSize - 20))), manifest.eosId];
}

/** Greedy decoding without a cache: the whole prefix through decoder_model at every step. */
async function referenceDecode(dir: string, manifest: TranslatorManifest, ids: number[], steps: number): Promise<number[]> {
  const open = (file: string) => InferenceSession.create(join(dir, file), { intraOpNumThreads: 1 });
  const [encoder, decoder] = await Promise.all([open(manifest.files.encoder), open(manifest.files.decoder)]);
  const mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
  const { last_hidden_state } = await encoder.run({ input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]), attention_mask: mask });
  const prefix = [manifest.padId];
  for (let step = 0; step < steps; step++) {
    const input = new Tensor('int64', BigInt64Array.from(prefix.map(BigInt)), [1, prefix.length]);
    const { logits } = await decoder.run({ input_ids: input, encoder_attention_mask: mask, encoder_hidden_states: last_hidden_state! });
    const data = logits!.data as Float32Array;
    const last = (prefix.length - 1) * manifest.vocabSize;
    prefix.push(argmaxExcept(data, last, manifest.vocabSize, manifest.padId));
  }
  await Promise.all([encoder.release(), decoder.release()]);
  return prefix.slice(1);
}

export function translatorRunnerSuite(title: string, modelDir: () => Promise<string>): void {
  describe(title, () => {
    let app: ModelApp;
    let dir: string;
    let manifest: TranslatorManifest;
    let predict: string;

    before(async () => {
      dir = await modelDir();
      ({ app, manifest, predict } = await readyModelApp(dir, 'translator', 1));
    });

    after(() => app?.stop());

    async function translate(instances: unknown[]): Promise<number[][]> {
      const response = await app.handler(post(predict, JSON.stringify({ instances })));
      assert.equal(response.status, 200, await response.clone().text());
      return ((await response.json()) as PredictResponse).predictions.map((p) => (p as { token_ids: number[] }).token_ids);
    }

    test('decodes ceil(ratio × source length) + 1 tokens per sequence, each in the vocabulary', async () => {
      const [long, short] = await translate([{ input_ids: source(10, 1, manifest) }, { input_ids: source(4, 2, manifest) }]);
      assert.equal(long!.length, Math.ceil(manifest.targetLengthRatio * 10) + 1);
      assert.equal(short!.length, Math.ceil(manifest.targetLengthRatio * 4) + 1);
      for (const id of [...long!, ...short!]) assert.ok(Number.isInteger(id) && id >= 0 && id < manifest.vocabSize);
    });

    test('the cached decode loop matches decoding without a cache', async () => {
      const ids = source(6, 3, manifest);
      const [tokens] = await translate([{ input_ids: ids }]);
      assert.deepEqual(tokens, await referenceDecode(dir, manifest, ids, tokens!.length));
    });

    test('cached steps (past_key_values from present) give the logits of a full uncached decoder run', async () => {
      const open = (file: string) => InferenceSession.create(join(dir, file), { intraOpNumThreads: 1 });
      const [encoder, decoder, withPast] = await Promise.all([open(manifest.files.encoder), open(manifest.files.decoder), open(manifest.files.decoderWithPast)]);
      const ids = source(7, 8, manifest);
      const mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
      const encoded = await encoder.run({ input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]), attention_mask: mask });
      const context: Feeds = { encoder_attention_mask: mask, encoder_hidden_states: encoded.last_hidden_state! };
      const vocab = manifest.vocabSize;
      const forced = [manifest.padId, ...[17, 4242, 31_000, 9].map((id) => id % vocab)];
      let cache: Feeds = {};
      for (let step = 0; step < forced.length; step++) {
        const session = step === 0 ? decoder : withPast;
        const token = new Tensor('int64', BigInt64Array.from([BigInt(forced[step]!)]), [1, 1]);
        const cached = await session.run(feedsFor(session, { ...context, ...cache, input_ids: token }));
        cache = { ...cache, ...pastFromPresent(cached) };
        const prefix = forced.slice(0, step + 1);
        const full = await decoder.run({ ...context, input_ids: new Tensor('int64', BigInt64Array.from(prefix.map(BigInt)), [1, prefix.length]) });
        const expected = (full.logits!.data as Float32Array).subarray(step * vocab, (step + 1) * vocab);
        const actual = cached.logits!.data as Float32Array;
        let worst = 0;
        for (let i = 0; i < vocab; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
        assert.ok(worst < 1e-3, `step ${step}: logits differ by up to ${worst}`);
      }
      await Promise.all([encoder.release(), decoder.release(), withPast.release()]);
    });

    test('padding in a batch does not change a sequence’s translation', async () => {
      const short = source(5, 4, manifest);
      const [alone] = await translate([{ input_ids: short }]);
      const [, batched] = await translate([{ input_ids: source(14, 5, manifest) }, { input_ids: short }]);
      assert.deepEqual(batched, alone);
    });

    test('padding masks keep a padded source’s first decoder logits unchanged', async () => {
      const open = (file: string) => InferenceSession.create(join(dir, file), { intraOpNumThreads: 1 });
      const [encoder, decoder] = await Promise.all([open(manifest.files.encoder), open(manifest.files.decoder)]);
      const short = source(5, 4, manifest);
      const firstLogits = async (sources: number[][], row: number) => {
        const batch = padBatch(sources, manifest.padId);
        const mask = new Tensor('int64', batch.mask, [batch.batch, batch.length]);
        const encoded = await encoder.run({ input_ids: new Tensor('int64', batch.ids, [batch.batch, batch.length]), attention_mask: mask });
        const start = new Tensor('int64', new BigInt64Array(batch.batch).fill(BigInt(manifest.padId)), [batch.batch, 1]);
        const { logits } = await decoder.run({ input_ids: start, encoder_attention_mask: mask, encoder_hidden_states: encoded.last_hidden_state! });
        return (logits!.data as Float32Array).slice(row * manifest.vocabSize, (row + 1) * manifest.vocabSize);
      };
      const alone = await firstLogits([short], 0);
      const padded = await firstLogits([source(14, 5, manifest), short], 1);
      let worst = 0;
      for (let i = 0; i < alone.length; i++) worst = Math.max(worst, Math.abs(alone[i]! - padded[i]!));
      assert.ok(worst < 1e-3, `logits differ by up to ${worst}`);
      await Promise.all([encoder.release(), decoder.release()]);
    });

    test('refuses sources beyond maxSourceTokens with text_too_long', async () => {
      const response = await app.handler(post(predict, JSON.stringify({ instances: [{ input_ids: source(manifest.maxSourceTokens + 1, 6, manifest) }] })));
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as ErrorBody).error.code, 'text_too_long');
    });
  });
}
