/**
 * BERT-base (Devlin et al. 2018: 12 layers, hidden 768, 12 heads, FFN 3072, GELU, vocab 30522, 512
 * positions, 2 token types, post-LN with eps 1e-12) with the Hugging Face sequence-classification head
 * (tanh pooler on [CLS], then a linear layer) for 11 labels: the tweet-emotion task of the source
 * project. Inputs and output named as in a Hugging Face / Optimum export.
 */
import { paddingMask, selfAttention } from '../attention.ts';
import type { BuildContext, ModelBuilder } from '../builder.ts';
import { Layers } from '../layers.ts';
import type { ClassifierTextManifest, Precision } from '../manifest.ts';
import { GraphBuilder } from '../onnx/graph.ts';

const FILE = 'model.onnx';
export const BERT = {
  layers: 12,
  dModel: 768,
  heads: 12,
  ffn: 3072,
  vocab: 30522,
  positions: 512,
  typeVocab: 2,
  classes: 11,
  maxSequence: 128,
  /** Special ids of the bert-base-uncased vocabulary. */
  padId: 0,
  clsId: 101,
  sepId: 102,
  epsilon: 1e-12,
} as const;

function embeddings(nn: Layers, ids: string, types: string): string {
  const g = nn.g;
  const { dModel } = BERT;
  const lookup = (indices: string, table: string, rows: number): string => {
    const name = `embeddings.${table}_embeddings.weight`;
    return nn.embedding(indices, name, nn.weights.normal(name, rows * dModel, 0.02), [rows, dModel]);
  };
  const words = lookup(ids, 'word', BERT.vocab);
  const positions = lookup(positionIds(nn, ids), 'position', BERT.positions);
  const sum = g.op('Add', [g.op('Add', [words, positions]), lookup(types, 'token_type', BERT.typeVocab)]);
  return nn.layerNorm(sum, 'embeddings.LayerNorm', dModel, BERT.epsilon);
}

/** 0..seq-1 as int64 [seq], broadcast over the batch by the Add of embeddings. */
function positionIds(nn: Layers, ids: string): string {
  const g = nn.g;
  const seq = g.op('Gather', [g.op('Shape', [ids]), g.int64([1], [])], { axis: 0 });
  return g.op('Range', [g.int64([0], []), seq, g.int64([1], [])]);
}

function encoderLayer(nn: Layers, x: string, i: number, mask: string): string {
  const { dModel, heads, ffn, epsilon } = BERT;
  const name = `encoder.layer.${i}`;
  const attention = selfAttention(nn, x, `${name}.attention`, mask, { dModel, heads });
  const h = nn.layerNorm(nn.g.op('Add', [x, attention.out]), `${name}.attention.LayerNorm`, dModel, epsilon);
  const inner = nn.gelu(nn.linear(h, { name: `${name}.intermediate`, inFeatures: dModel, outFeatures: ffn }));
  const out = nn.linear(inner, { name: `${name}.output`, inFeatures: ffn, outFeatures: dModel });
  return nn.layerNorm(nn.g.op('Add', [h, out]), `${name}.output.LayerNorm`, dModel, epsilon);
}

function graph(context: BuildContext): GraphBuilder {
  const g = new GraphBuilder('bert_sequence_classifier');
  const nn = new Layers(g, context.weights, { precision: context.precision, quantizeConv: false });
  const dims = ['batch', 'sequence'];
  const ids = g.input('input_ids', 'INT64', dims);
  const mask = paddingMask(nn, g.input('attention_mask', 'INT64', dims));
  const types = g.input('token_type_ids', 'INT64', dims);
  let x = embeddings(nn, ids, types);
  for (let i = 0; i < BERT.layers; i++) x = encoderLayer(nn, x, i, mask);
  const cls = g.op('Gather', [x, g.int64([0], [])], { axis: 1 });
  const pooled = g.op('Tanh', [nn.linear(cls, { name: 'pooler.dense', inFeatures: BERT.dModel, outFeatures: BERT.dModel })]);
  const logits = nn.linear(pooled, { name: 'classifier', inFeatures: BERT.dModel, outFeatures: BERT.classes });
  g.output('logits', 'FLOAT', ['batch', BERT.classes], logits);
  return g;
}

function manifest(precision: Precision): ClassifierTextManifest {
  return {
    kind: 'classifier-text',
    name: 'bert',
    precision,
    synthetic: true,
    file: FILE,
    inputNames: ['input_ids', 'attention_mask', 'token_type_ids'],
    outputName: 'logits',
    maxSequence: BERT.maxSequence,
    vocabSize: BERT.vocab,
    classes: BERT.classes,
    clsId: BERT.clsId,
    sepId: BERT.sepId,
    padId: BERT.padId,
  };
}

export const bertBuilder: ModelBuilder = {
  name: 'bert',
  version: 1,
  files: (context) => [{ fileName: FILE, graph: () => graph(context) }],
  manifest,
};
