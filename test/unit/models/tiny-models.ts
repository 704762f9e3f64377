/**
 * Tiny real ONNX models written with our writer, for tests of the writer, of user-model handling and of
 * the server's runners (a translator and a text classifier with the built-in architectures at toy size,
 * so unit tests need no full-size model).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paddingMask, selfAttention } from '../../../src/models/attention.ts';
import { TARGET_LENGTH_RATIO } from '../../../src/models/builders/marian.ts';
import { MARIAN, type MarianConfig } from '../../../src/models/builders/marian-common.ts';
import { decoderGraph } from '../../../src/models/builders/marian-decoder.ts';
import { encoderGraph } from '../../../src/models/builders/marian-encoder.ts';
import { Layers } from '../../../src/models/layers.ts';
import { MANIFEST_FILE, type ClassifierTextManifest, type TranslatorManifest } from '../../../src/models/manifest.ts';
import { GraphBuilder } from '../../../src/models/onnx/graph.ts';
import { writeModel } from '../../../src/models/onnx/writer.ts';
import { WeightSource } from '../../../src/models/weights.ts';

const INFO = { producerVersion: 'test' };

/** NHWC [batch, 8, 8, 3] → mean colour → 5 scores. */
export function writeImageClassifier(path: string, layout: 'nhwc' | 'nchw' = 'nhwc'): void {
  const g = new GraphBuilder('tiny_image');
  const dims = layout === 'nhwc' ? ['batch', 8, 8, 3] : ['batch', 3, 8, 8];
  const input = g.input('pixels', 'FLOAT', dims);
  const nchw = layout === 'nhwc' ? g.op('Transpose', [input], { perm: [0, 3, 1, 2] }) : input;
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [nchw])], { axis: 1 });
  const w = g.initializer('w', { dataType: 'FLOAT', dims: [3, 5], data: Float32Array.from({ length: 15 }, (_, i) => i / 10 - 0.7) });
  g.output('scores', 'FLOAT', ['batch', 5], g.op('MatMul', [pooled, w]));
  writeModel(path, g, INFO);
}

/**
 * A tensor model of several inputs and element types: x float32 [batch, 2, n] (n dynamic) and scale int64 [batch, 1]
 * → y = x · scale (float32 [batch, 2, n]) and total = Σ x (float32 [batch, 1]).
 */
export function writeDynamicTensorModel(path: string, batch: number | string = 'batch'): void {
  const g = new GraphBuilder('tiny_tensor');
  const x = g.input('x', 'FLOAT', [batch, 2, 'n']);
  const scale = g.input('scale', 'INT64', [batch, 1]);
  const factor = g.op('Unsqueeze', [g.op('Cast', [scale], { to: 1 }), g.int64([2])]);
  g.output('y', 'FLOAT', [batch, 2, 'n'], g.op('Mul', [x, factor]));
  g.output('total', 'FLOAT', [batch, 1], g.op('ReduceSum', [g.op('Flatten', [x], { axis: 1 }), g.int64([1])], { keepdims: 1 }));
  writeModel(path, g, INFO);
}

/** input_ids, attention_mask → mean embedding → 3 logits. */
export function writeTextClassifier(path: string): void {
  const g = new GraphBuilder('tiny_text');
  const ids = g.input('input_ids', 'INT64', ['batch', 'sequence']);
  g.input('attention_mask', 'INT64', ['batch', 'sequence']);
  const table = g.initializer('embedding', { dataType: 'FLOAT', dims: [200, 4], data: new WeightSource(3).normal('e', 800, 1) });
  const mean = g.op('ReduceMean', [g.op('Gather', [table, ids])], { axes: [1], keepdims: 0 });
  const w = g.initializer('w', { dataType: 'FLOAT', dims: [4, 3], data: new WeightSource(3).normal('w', 12, 1) });
  g.output('logits', 'FLOAT', ['batch', 3], g.op('MatMul', [mean, w]));
  writeModel(path, g, INFO);
}

export const TINY_MARIAN: MarianConfig = { ...MARIAN, dModel: 16, encoderLayers: 2, decoderLayers: 2, heads: 2, ffn: 32, vocab: 120, maxPositions: 64, padId: 119, eosId: 0 };

const MARIAN_FILES = { encoder: 'encoder_model.onnx', decoder: 'decoder_model.onnx', decoderWithPast: 'decoder_with_past_model.onnx' };

/** The Marian builder's own encoder and decoder graphs (Optimum's three files) at TINY_MARIAN size. */
function writeTinyMarianFiles(dir: string, omit?: string): void {
  mkdirSync(dir, { recursive: true });
  const context = { precision: 'fp32' as const, weights: new WeightSource(5) };
  const graphs = {
    [MARIAN_FILES.encoder]: () => encoderGraph(context, TINY_MARIAN),
    [MARIAN_FILES.decoder]: () => decoderGraph(context, false, TINY_MARIAN),
    [MARIAN_FILES.decoderWithPast]: () => decoderGraph(context, true, TINY_MARIAN),
  };
  for (const [file, graph] of Object.entries(graphs)) if (file !== omit) writeModel(join(dir, file), graph(), INFO);
}

/** A model directory the server loads as a translator: the built-in marian at toy size, with its manifest.json. */
export function writeTinyTranslator(dir: string): TranslatorManifest {
  writeTinyMarianFiles(dir);
  const c = TINY_MARIAN;
  const manifest: TranslatorManifest = {
    kind: 'translator',
    name: 'tiny-marian',
    precision: 'fp32',
    synthetic: true,
    files: MARIAN_FILES,
    layers: c.decoderLayers,
    heads: c.heads,
    dModel: c.dModel,
    vocabSize: c.vocab,
    padId: c.padId,
    eosId: c.eosId,
    maxSourceTokens: c.maxPositions,
    targetLengthRatio: TARGET_LENGTH_RATIO,
  };
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  return manifest;
}

/**
 * BERT (src/models/builders/bert.ts, whose sizes are fixed) rebuilt layer for layer at toy size: word,
 * position and token-type embeddings, post-LN encoder layers with masked self-attention and a GELU
 * feed-forward, tanh pooler on [CLS], linear head. The vocabulary is just large enough for the hash
 * tokenizer, which keeps BERT's ids below 1000 for specials; the head's weights are wider than BERT's
 * 0.02 so that scores are of order 1 and the runner's tolerances mean something.
 */
export const TINY_BERT = { layers: 2, dModel: 16, heads: 2, ffn: 32, vocab: 1200, positions: 64, typeVocab: 2, classes: 5, maxSequence: 32, padId: 0, clsId: 101, sepId: 102, epsilon: 1e-12 };

function tinyBertGraph(weights: WeightSource): GraphBuilder {
  const c = TINY_BERT;
  const g = new GraphBuilder('tiny_bert_sequence_classifier');
  const nn = new Layers(g, weights, { precision: 'fp32', quantizeConv: false });
  const dims = ['batch', 'sequence'];
  const ids = g.input('input_ids', 'INT64', dims);
  const mask = paddingMask(nn, g.input('attention_mask', 'INT64', dims));
  const types = g.input('token_type_ids', 'INT64', dims);
  const lookup = (indices: string, table: string, rows: number): string => {
    const name = `embeddings.${table}_embeddings.weight`;
    return nn.embedding(indices, name, nn.weights.normal(name, rows * c.dModel, 0.02), [rows, c.dModel]);
  };
  const sequence = g.op('Gather', [g.op('Shape', [ids]), g.int64([1], [])], { axis: 0 });
  const positions = g.op('Range', [g.int64([0], []), sequence, g.int64([1], [])]);
  const sum = g.op('Add', [g.op('Add', [lookup(ids, 'word', c.vocab), lookup(positions, 'position', c.positions)]), lookup(types, 'token_type', c.typeVocab)]);
  let x = nn.layerNorm(sum, 'embeddings.LayerNorm', c.dModel, c.epsilon);
  for (let i = 0; i < c.layers; i++) {
    const name = `encoder.layer.${i}`;
    const attention = selfAttention(nn, x, `${name}.attention`, mask, { dModel: c.dModel, heads: c.heads });
    const h = nn.layerNorm(g.op('Add', [x, attention.out]), `${name}.attention.LayerNorm`, c.dModel, c.epsilon);
    const inner = nn.gelu(nn.linear(h, { name: `${name}.intermediate`, inFeatures: c.dModel, outFeatures: c.ffn }));
    const out = nn.linear(inner, { name: `${name}.output`, inFeatures: c.ffn, outFeatures: c.dModel });
    x = nn.layerNorm(g.op('Add', [h, out]), `${name}.output.LayerNorm`, c.dModel, c.epsilon);
  }
  const cls = g.op('Gather', [x, g.int64([0], [])], { axis: 1 });
  const pooled = g.op('Tanh', [nn.linear(cls, { name: 'pooler.dense', inFeatures: c.dModel, outFeatures: c.dModel, std: 0.5 })]);
  const logits = nn.linear(pooled, { name: 'classifier', inFeatures: c.dModel, outFeatures: c.classes, std: 0.5 });
  g.output('logits', 'FLOAT', ['batch', c.classes], logits);
  return g;
}

/** A model directory the server loads as a text classifier: TINY_BERT with its manifest.json. */
export function writeTinyTextClassifier(dir: string): ClassifierTextManifest {
  mkdirSync(dir, { recursive: true });
  const c = TINY_BERT;
  const file = 'model.onnx';
  writeModel(join(dir, file), tinyBertGraph(new WeightSource(7)), INFO);
  const manifest: ClassifierTextManifest = {
    kind: 'classifier-text',
    name: 'tiny-bert',
    precision: 'fp32',
    synthetic: true,
    file,
    inputNames: ['input_ids', 'attention_mask', 'token_type_ids'],
    outputName: 'logits',
    maxSequence: c.maxSequence,
    vocabSize: c.vocab,
    classes: c.classes,
    clsId: c.clsId,
    sepId: c.sepId,
    padId: c.padId,
  };
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  return manifest;
}

/** A real Marian-shaped Optimum export folder at toy size; `omit` leaves a file out. */
export function writeOptimumFolder(dir: string, options: { config?: boolean; omit?: string } = {}): void {
  writeTinyMarianFiles(dir, options.omit);
  if (options.config !== false) {
    const c = TINY_MARIAN;
    const config = {
      d_model: c.dModel,
      decoder_layers: c.decoderLayers,
      decoder_attention_heads: c.heads,
      vocab_size: c.vocab,
      eos_token_id: c.eosId,
      pad_token_id: c.padId,
      decoder_start_token_id: c.padId,
      max_position_embeddings: c.maxPositions,
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  }
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify({ '</s>': 0, '<unk>': 1, '\u2581hello': 2, '\u2581world': 3, '<pad>': 119 }));
}
