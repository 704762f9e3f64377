/**
 * The Open Inference Protocol (V2) on the real server, in-process over real models and real ONNX Runtime:
 * V1 and V2 give the same predictions (they share the parser and the batcher), metadata, readiness, the
 * refusals' status codes, shedding on the socket, and the per-protocol request counter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureModel } from '../../src/models/index.ts';
import type { ClassifierTextManifest } from '../../src/models/manifest.ts';
import type { ModelApp } from '../../src/server/model-server.ts';
import { ROUTES, type PredictResponse } from '../../src/server/protocol.ts';
import { encodeInferRequest } from '../../src/server/v2/codec.ts';
import type { InferResponse, ModelMetadataResponse, V2ErrorBody } from '../../src/server/v2/types.ts';
import { flatImage, ganConfig, get, nested, post, quietApp, readyModelApp } from '../../support/gan-app.ts';

const INFER = ROUTES.v2.infer('gan');

async function json<T>(response: Response, status = 200): Promise<T> {
  assert.equal(response.status, status, await response.clone().text());
  return (await response.json()) as T;
}

async function v1(app: ModelApp, path: string, instances: unknown[]): Promise<PredictResponse['predictions']> {
  return (await json<PredictResponse>(await app.handler(post(path, JSON.stringify({ instances }))))).predictions;
}

/** One gan image as a V2 input tensor [1, 32, 32, 3]. */
function image(seed: number) {
  return { name: 'images', datatype: 'FP32', shape: [1, 32, 32, 3], data: flatImage(seed) };
}

describe('V2 over the real gan model', () => {
  let app: ModelApp;

  before(async () => {
    app = quietApp(await ganConfig({ maxBatchSize: 4 })).app;
    // Before warm-up ends: V2 readiness follows V1's rule.
    assert.equal((await app.handler(get(ROUTES.v2.ready))).status, 503);
    assert.equal((await app.handler(get(ROUTES.v2.modelReady('gan')))).status, 503);
    assert.equal((await app.handler(get(ROUTES.v2.live))).status, 200);
    await app.ready;
  });

  after(() => app.stop());

  test('is live and ready, server and model alike', async () => {
    assert.deepEqual(await json(await app.handler(get(ROUTES.v2.live))), { live: true });
    assert.deepEqual(await json(await app.handler(get(ROUTES.v2.ready))), { ready: true });
    assert.deepEqual(await json(await app.handler(get(ROUTES.v2.modelReady('gan')))), { name: 'gan', ready: true });
    assert.deepEqual(await json(await app.handler(get('/v2/models/gan/versions/1/ready'))), { name: 'gan', ready: true });
  });

  test('metadata names the graph input and the scores and label outputs', async () => {
    const metadata = await json<ModelMetadataResponse>(await app.handler(get(ROUTES.v2.metadata('gan'))));
    assert.deepEqual(metadata, {
      name: 'gan',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'images', datatype: 'FP32', shape: [-1, 32, 32, 3] }],
      outputs: [
        { name: 'scores', datatype: 'FP32', shape: [-1, 11] },
        { name: 'label', datatype: 'INT64', shape: [-1] },
      ],
    });
  });

  test('V1 and V2 give the same predictions, V2 flat or nested', async () => {
    const images = [flatImage(1), flatImage(2), flatImage(3)];
    const predictions = (await v1(app, ROUTES.predict('gan'), images)) as { label: number; scores: number[] }[];
    const flat = { id: 'r-1', inputs: [{ name: 'images', datatype: 'FP32', shape: [3, 32, 32, 3], data: images.flat() }] };
    const response = await json<InferResponse>(await app.handler(post(INFER, JSON.stringify(flat))));
    assert.equal(response.model_name, 'gan');
    assert.equal(response.id, 'r-1');
    const [scores, label] = response.outputs;
    assert.deepEqual(scores, { name: 'scores', datatype: 'FP32', shape: [3, 11], data: predictions.flatMap((p) => p.scores) });
    assert.deepEqual(label, { name: 'label', datatype: 'INT64', shape: [3], data: predictions.map((p) => p.label) });
    const deep = { inputs: [{ name: 'images', datatype: 'FP32', shape: [3, 32, 32, 3], data: images.map(nested) }], outputs: [{ name: 'label' }] };
    const selected = await json<InferResponse>(await app.handler(post(INFER, JSON.stringify(deep))));
    assert.deepEqual(selected.outputs, [label]);
  });

  test('V1 and V2 requests in flight together are answered alike (one batcher)', async () => {
    const images = [flatImage(5), flatImage(6)];
    const both = await Promise.all([
      v1(app, ROUTES.predict('gan'), [images[0]]),
      app.handler(post(INFER, JSON.stringify({ inputs: [{ name: 'images', datatype: 'FP32', shape: [1, 32, 32, 3], data: images[1] }] }))),
      v1(app, ROUTES.predict('gan'), [images[1]]),
    ]);
    const v2 = await json<InferResponse>(both[1] as Response);
    assert.deepEqual(v2.outputs[0]!.data, (both[2] as { scores: number[] }[])[0]!.scores);
    assert.notDeepEqual((both[0] as { scores: number[] }[])[0]!.scores, v2.outputs[0]!.data);
  });

  const refusals: [string, () => Request, number][] = [
    ['an unknown datatype', () => post(INFER, JSON.stringify({ inputs: [{ ...image(1), datatype: 'FLOAT32' }] })), 400],
    ['a datatype the input does not take', () => post(INFER, JSON.stringify({ inputs: [{ ...image(1), datatype: 'INT8' }] })), 400],
    ['data shorter than the shape', () => post(INFER, JSON.stringify({ inputs: [{ ...image(1), shape: [2, 32, 32, 3] }] })), 400],
    ['an unknown input', () => post(INFER, JSON.stringify({ inputs: [{ ...image(1), name: 'pixels' }] })), 400],
    ['an unknown output', () => post(INFER, JSON.stringify({ inputs: [image(1)], outputs: [{ name: 'logits' }] })), 400],
    ['malformed JSON', () => post(INFER, '{"inputs": ['), 400],
    ['another media type', () => post(INFER, '{}', { 'content-type': 'application/octet-stream' }), 415],
    ['a model not served here', () => post(ROUTES.v2.infer('resnet'), JSON.stringify({ inputs: [image(1)] })), 404],
    ['metadata of a model not served here', () => get(ROUTES.v2.metadata('resnet')), 404],
    ['a version not served', () => get('/v2/models/gan/versions/2'), 404],
    ['GET on infer', () => get(INFER), 405],
    ['an unknown V2 route', () => get('/v2/repository/index'), 404],
  ];
  for (const [what, request, status] of refusals) {
    test(`refuses ${what}: ${status} with {"error": "..."}`, async () => {
      const body = await json<V2ErrorBody>(await app.handler(request()), status);
      assert.equal(typeof body.error, 'string');
      assert.ok(body.error.length > 0 && !body.error.includes('\n'), body.error);
      assert.deepEqual(Object.keys(body), ['error']);
    });
  }

  test('counts requests by protocol beside the status codes', async () => {
    const text = app.metrics.render();
    assert.match(text, /^tune_http_requests_by_api_total\{api="v1"\} [1-9]\d*$/m);
    assert.match(text, /^tune_http_requests_by_api_total\{api="v2"\} [1-9]\d*$/m);
  });
});

describe('V2 over the real bert model', () => {
  let served: Awaited<ReturnType<typeof readyModelApp<'classifier-text'>>>;

  before(async () => {
    served = await readyModelApp(await ensureModel({ model: 'bert', precision: 'fp32' }), 'classifier-text', 1);
  });

  after(() => served.app.stop());

  test('text and token ids (with mask) give V1 predictions', async () => {
    const { app, manifest, predict } = served;
    const texts = ['a quiet morning by the river', 'the match was cancelled again, what a mess'];
    const predictions = (await v1(app, predict, texts.map((text) => ({ text })))) as { label: number; scores: number[] }[];
    const infer = ROUTES.v2.infer(manifest.name);
    const byText = await json<InferResponse>(await app.handler(post(infer, JSON.stringify(encodeInferRequest(manifest, texts.map((text) => ({ text })))))));
    assert.deepEqual(byText.outputs[0]!.data, predictions.flatMap((p) => p.scores));
    assert.deepEqual(byText.outputs[1]!.data, predictions.map((p) => p.label));
    const ids = [[manifest.clsId, 2000, 2001, manifest.sepId], [manifest.clsId, 3000, manifest.sepId]];
    const idPredictions = await v1(app, predict, ids.map((input_ids) => ({ input_ids })));
    const byIds = await json<InferResponse>(await app.handler(post(infer, JSON.stringify(encodeInferRequest(manifest, ids.map((input_ids) => ({ input_ids })))))));
    assert.deepEqual(byIds.outputs[0]!.data, (idPredictions as { scores: number[] }[]).flatMap((p) => p.scores));
  });

  test('metadata offers text or the graph token inputs', async () => {
    const { app, manifest } = served;
    const metadata = await json<ModelMetadataResponse>(await app.handler(get(ROUTES.v2.metadata(manifest.name))));
    assert.deepEqual(metadata.inputs.map((t) => `${t.name}:${t.datatype}`), ['text:BYTES', ...(manifest as ClassifierTextManifest).inputNames.map((n) => `${n}:INT64`)]);
  });

  test('too long a text is refused 400 from the shared parser, naming the batch row', async () => {
    const { app, manifest } = served;
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const body = await json<V2ErrorBody>(await app.handler(post(ROUTES.v2.infer(manifest.name), JSON.stringify(encodeInferRequest(manifest, [{ text: 'fine' }, { text: long }])))), 400);
    assert.match(body.error, /^row 1 of the batch: /);
  });
});
