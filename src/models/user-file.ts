/**
 * A user's single .onnx file: an image or text classifier, classified from its inputs. Optional
 * config.json / vocab.json / vocab.txt beside it fill in vocabulary facts; BERT's conventions
 * (vocab 30522, [CLS] 101, [SEP] 102, [PAD] 0, 128 tokens) are the fallback.
 */
import { dirname } from 'node:path';
import { classifyGraph, type Classified } from './classify.ts';
import { configNumber, readHfConfig, readVocabulary } from './hf-config.ts';
import { inspectOnnx, type GraphSignature } from './inspect.ts';
import type { ClassifierImageManifest, ClassifierTextManifest, Precision } from './manifest.ts';
import { modelError } from './model-error.ts';
import { readStaged, stage, userModelDir, type Staged } from './user-cache.ts';

const FILE = 'model.onnx';
const TOKENIZER = 'vocab.json';

export async function resolveOnnxFile(path: string, precision: Precision, cacheDir: string): Promise<Staged> {
  const dir = userModelDir(cacheDir, path, { [path]: FILE }, precision);
  const staged = readStaged(dir);
  if (staged) return { ok: true, dir, manifest: staged };
  const inspected = await inspectOnnx(path);
  if (!inspected.ok) return inspected;
  const classified = classifyGraph(path, inspected.value.inputs, inspected.value.outputs);
  if (!classified.ok) return classified;
  const classes = classCount(inspected.value, classified.value, dirname(path));
  if (classes === undefined) {
    const problem = `cannot tell how many classes ${path} has: its output has no fixed last dimension and no config.json id2label beside it`;
    return { ok: false, error: modelError('model-mismatch', problem) };
  }
  const name = `user:${path}`;
  if (classified.value.kind === 'classifier-image') {
    const { inputName, outputName, instanceShape } = classified.value;
    const manifest: ClassifierImageManifest = { kind: 'classifier-image', name, precision, synthetic: false, file: FILE, inputName, outputName, instanceShape, classes };
    return stage(dir, { [path]: FILE }, manifest);
  }
  return stageTextClassifier(dir, path, classified.value.inputNames, classified.value.outputName, classes, precision);
}

function stageTextClassifier(dir: string, path: string, inputNames: string[], outputName: string, classes: number, precision: Precision): Promise<Staged> {
  const config = readHfConfig(dirname(path));
  const vocabulary = readVocabulary(dirname(path));
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
    ...(vocabulary ? { tokenizer: TOKENIZER } : {}),
  };
  return stage(dir, { [path]: FILE }, manifest, vocabulary ? { [TOKENIZER]: JSON.stringify(vocabulary) } : {});
}

/** Last dim of the output when fixed, else the label count of config.json's id2label. */
function classCount(signature: GraphSignature, classified: Classified, dir: string): number | undefined {
  const output = signature.outputs.find((o) => o.name === classified.outputName);
  const last = output?.shape.at(-1);
  if (typeof last === 'number') return last;
  const labels = readHfConfig(dir)['id2label'];
  return typeof labels === 'object' && labels !== null ? Object.keys(labels).length : undefined;
}
