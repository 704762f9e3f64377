/**
 * A user's single .onnx file, classified from its inputs: a text classifier (with optional config.json /
 * vocab.json / vocab.txt beside it filling in vocabulary facts; BERT's conventions — vocab 30522, [CLS] 101,
 * [SEP] 102, [PAD] 0, 128 tokens — are the fallback), an image classifier, or any other graph as a tensor model
 * whose dynamic dims the hints fix (--input-shape, or the shapes of the recorded workload's samples).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { classifyGraph, tensorOf } from './classify.ts';
import { configNumber, readHfConfig, readVocabulary } from './hf-config.ts';
import { inspectOnnx, type GraphSignature } from './inspect.ts';
import type { ClassifierImageManifest, ClassifierTextManifest, Precision, TensorManifest } from './manifest.ts';
import type { ShapeHints, TensorSignature } from './tensor-spec.ts';
import { bertTokenizer, tokenizerKeyFiles } from './tokenizer-spec.ts';
import { modelError } from './model-error.ts';
import { quantizeOnnxFile, SERVING_QUANTIZATION } from './onnx-quantize/index.ts';
import { readStaged, stage, userModelDir, type Staged } from './user-cache.ts';

const FILE = 'model.onnx';

export async function resolveOnnxFile(path: string, precision: Precision, cacheDir: string, hints: ShapeHints = {}): Promise<Staged> {
  // The hints decide a tensor model's shapes, so they are part of the staged directory's key.
  const dir = userModelDir(cacheDir, path, { [path]: FILE, ...tokenizerKeyFiles(dirname(path)) }, `${precision}${hintsKey(hints)}`);
  const staged = readStaged(dir);
  if (staged) return { ok: true, dir, manifest: staged };
  const inspected = await inspectOnnx(path);
  if (!inspected.ok) return inspected;
  const { inputs, outputs } = inspected.value;
  const classified = classifyGraph(path, inputs, outputs, hints);
  if (!classified.ok) return classified;
  const value = classified.value;
  if (value.kind === 'tensor') return withWeights(path, dir, precision, (file) => stageTensor(dir, path, file, value, precision));
  const classes = classCount(inspected.value, value.outputName, dirname(path));
  if (classes === undefined) {
    // Without a class count the graph is no classifier tune can label: serve it as tensors.
    const asTensor = tensorOf(path, inputs, outputs, hints);
    return asTensor.ok ? withWeights(path, dir, precision, (file) => stageTensor(dir, path, file, asTensor.value, precision)) : asTensor;
  }
  const name = `user:${path}`;
  if (value.kind === 'classifier-image') {
    const { inputName, outputName, instanceShape } = value;
    const manifest: ClassifierImageManifest = { kind: 'classifier-image', name, precision, synthetic: false, file: FILE, inputName, outputName, instanceShape, classes };
    return withWeights(path, dir, precision, (file) => stage(dir, { [file]: FILE }, manifest));
  }
  return stageTextClassifier(dir, path, value.inputNames, value.outputName, classes, precision);
}

/**
 * The weights to stage: the user's file at fp32; at int8 a copy quantized as onnxruntime's quantize_dynamic does
 * (constant-weight MatMul, Gemm and Conv), written beside the staged directory and removed once staged.
 */
async function withWeights(path: string, dir: string, precision: Precision, staging: (file: string) => Promise<Staged>): Promise<Staged> {
  if (precision !== 'int8') return staging(path);
  const quantized = `${dir}.int8-${process.pid}.onnx`;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    const outcome = await quantizeOnnxFile(path, quantized, SERVING_QUANTIZATION);
    if (!outcome.ok) return { ok: false, error: modelError(outcome.error.code, `cannot quantize ${path} to int8: ${outcome.error.message}`) };
    return await staging(quantized);
  } finally {
    rmSync(quantized, { force: true });
  }
}

function stageTensor(dir: string, path: string, file: string, signature: TensorSignature, precision: Precision): Promise<Staged> {
  const { inputs, outputs, warmUpShapes, unbatched } = signature;
  const manifest: TensorManifest = {
    kind: 'tensor',
    name: `user:${path}`,
    precision,
    synthetic: false,
    file: FILE,
    inputs,
    outputs,
    ...(warmUpShapes && { warmUpShapes }),
    ...(unbatched && { unbatched }),
  };
  return stage(dir, { [file]: FILE }, manifest);
}

function hintsKey(hints: ShapeHints): string {
  const given = hints.given && Object.keys(hints.given).length > 0 ? hints.given : undefined;
  const samples = hints.samples && hints.samples.length > 0 ? hints.samples : undefined;
  return given || samples ? `\0${JSON.stringify({ given, samples })}` : '';
}

function stageTextClassifier(dir: string, path: string, inputNames: string[], outputName: string, classes: number, precision: Precision): Promise<Staged> {
  const config = readHfConfig(dirname(path));
  const vocabulary = readVocabulary(dirname(path));
  const tokenizer = bertTokenizer(dirname(path));
  const manifest: ClassifierTextManifest = {
    kind: 'classifier-text',
    name: `user:${path}`,
    precision,
    synthetic: false,
    file: FILE,
    inputNames,
    outputName,
    maxSequence: Math.min(configNumber(config, 'max_position_embeddings') ?? 128, 512),
    vocabSize: configNumber(config, 'vocab_size') ?? (vocabulary ? Object.keys(vocabulary).length : 30522),
    classes,
    clsId: vocabulary?.['[CLS]'] ?? configNumber(config, 'cls_token_id', 'bos_token_id') ?? 101,
    sepId: vocabulary?.['[SEP]'] ?? configNumber(config, 'sep_token_id', 'eos_token_id') ?? 102,
    padId: vocabulary?.['[PAD]'] ?? configNumber(config, 'pad_token_id') ?? 0,
    ...(tokenizer && { tokenizer: tokenizer.spec }),
  };
  return stage(dir, { [path]: FILE, ...tokenizer?.files }, manifest);
}

/** Last dim of the output when fixed, else the label count of config.json's id2label. */
function classCount(signature: GraphSignature, outputName: string, dir: string): number | undefined {
  const output = signature.outputs.find((o) => o.name === outputName);
  const last = output?.shape.at(-1);
  if (typeof last === 'number') return last;
  const labels = readHfConfig(dir)['id2label'];
  return typeof labels === 'object' && labels !== null ? Object.keys(labels).length : undefined;
}
