/**
 * Calibration of a random-weight image classifier's output bias. Deep random conv nets map every
 * image to nearly the same pooled features (a large shared mean plus a small image-specific part), so
 * uncalibrated they give one class for all inputs. A trained network's batch-norm statistics remove
 * such a mean; here the fp32 model runs on calibration images and the dense bias absorbs the mean
 * logit: b' = b − W·mean(features) = 2b − mean(logits). Outputs then depend on the image, and fp32 and
 * int8 builds share the same calibrated bias (always computed on the fp32 graph).
 */
import ort from 'onnxruntime-node';
import type { ClassifierImageManifest, Precision } from './manifest.ts';
import type { GraphBuilder } from './onnx/graph.ts';
import { modelChunks } from './onnx/writer.ts';
import { sampleImage } from './sample-image.ts';

export const CALIBRATION_IMAGES = 16;
/** Calibration images come from their own index range, apart from the probe's 0, 1, 2, …. */
const FIRST_CALIBRATION_INDEX = 10_000;

/** The calibrated values of the fp32 graph's bias initializer `biasName`. */
export async function calibratedBias(fp32: GraphBuilder, manifest: ClassifierImageManifest, biasName: string): Promise<Float32Array> {
  const bias = fp32.initializers.get(biasName)?.data;
  if (!(bias instanceof Float32Array)) throw new Error(`calibration: graph has no float bias ${biasName}`);
  const meanLogits = await meanOutput(fp32, manifest);
  return bias.map((b, k) => 2 * b - (meanLogits[k] as number));
}

async function meanOutput(graph: GraphBuilder, m: ClassifierImageManifest): Promise<Float32Array> {
  const bytes = Buffer.concat(modelChunks(graph, { producerVersion: 'calibration' }));
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2, logSeverityLevel: 3 });
  try {
    const pixels = m.instanceShape.reduce((a, b) => a * b, 1);
    const batch = new Float32Array(CALIBRATION_IMAGES * pixels);
    for (let i = 0; i < CALIBRATION_IMAGES; i++) batch.set(sampleImage(m.instanceShape, FIRST_CALIBRATION_INDEX + i), i * pixels);
    const feeds = { [m.inputName]: new ort.Tensor('float32', batch, [CALIBRATION_IMAGES, ...m.instanceShape]) };
    const logits = (await session.run(feeds))[m.outputName]!.data as Float32Array;
    const mean = new Float32Array(m.classes);
    logits.forEach((value, i) => (mean[i % m.classes]! += value / CALIBRATION_IMAGES));
    return mean;
  } finally {
    await session.release();
  }
}

/** The graph for `precision` with its dense bias calibrated on the fp32 graph. */
export async function calibratedGraph(
  build: (precision: Precision) => GraphBuilder,
  precision: Precision,
  manifest: ClassifierImageManifest,
  biasName: string,
): Promise<GraphBuilder> {
  const fp32 = build('fp32');
  const bias = await calibratedBias(fp32, manifest, biasName);
  const graph = precision === 'fp32' ? fp32 : build('int8');
  const target = graph.initializers.get(biasName)?.data;
  if (!(target instanceof Float32Array)) throw new Error(`calibration: graph has no float bias ${biasName}`);
  target.set(bias);
  return graph;
}
