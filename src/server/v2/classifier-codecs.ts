/**
 * The classifier kinds: images FP32 [N, H, W, C] (classifier-image) or text (classifier-text, see text-codec.ts)
 * in; FP32 "scores" [N, classes] (the graph's raw output row, as V1's "scores") and INT64 "label" [N] (its argmax) out.
 */
import type { ClassifierImageManifest, ClassifierTextManifest } from '../../models/manifest.ts';
import { fail, succeed, type Outcome } from '../api-error.ts';
import type { Classification } from '../runners/classification.ts';
import type { KindCodec } from './kind-codec.ts';
import { flatten, row } from './tensors.ts';
import { textInputs, textInputTensors, textInstances } from './text-codec.ts';
import type { InferOutputTensor, MetadataTensor } from './types.ts';

export const SCORES = 'scores';
export const LABEL = 'label';

export function imageClassifierCodec(manifest: ClassifierImageManifest): KindCodec {
  const [h, w, c] = manifest.instanceShape;
  const name = manifest.inputName;
  return {
    inputs: [{ name, datatype: 'FP32', shape: [-1, h, w, c] }],
    outputs: classifierOutputs(manifest.classes),
    instances: (request) => {
      const images = request.inputs.get(name);
      if (images === undefined) return fail('bad_request', `the request needs the input "${name}" (FP32 [N, ${h}, ${w}, ${c}])`);
      return succeed(Array.from({ length: request.batch }, (_, i) => row(images, i)));
    },
    outputTensors: classifierTensors,
    inputTensors: (instances) => [
      { name, datatype: 'FP32', shape: [instances.length, h, w, c], data: instances.flatMap((image) => flatten(asArray(image))) },
    ],
  };
}

export function textClassifierCodec(manifest: ClassifierTextManifest): KindCodec {
  return {
    inputs: textInputs(manifest.inputNames),
    outputs: classifierOutputs(manifest.classes),
    instances: textInstances,
    outputTensors: classifierTensors,
    inputTensors: (instances) => textInputTensors(instances, manifest.padId),
  };
}

function classifierOutputs(classes: number): MetadataTensor[] {
  return [
    { name: SCORES, datatype: 'FP32', shape: [-1, classes] },
    { name: LABEL, datatype: 'INT64', shape: [-1] },
  ];
}

function classifierTensors(predictions: readonly unknown[]): Outcome<InferOutputTensor[]> {
  const rows = predictions as readonly Classification[];
  const classes = rows[0]?.scores.length ?? 0;
  return succeed([
    { name: SCORES, datatype: 'FP32', shape: [rows.length, classes], data: rows.flatMap((prediction) => prediction.scores) },
    { name: LABEL, datatype: 'INT64', shape: [rows.length], data: rows.map((prediction) => prediction.label) },
  ]);
}

function asArray(instance: unknown): unknown[] {
  if (!Array.isArray(instance)) throw new Error('an image instance must be an array (nested [H][W][C] or flat)');
  return instance;
}
