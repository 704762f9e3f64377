/** Tiny real ONNX models written with our writer, for tests of the writer and of user-model handling. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARIAN, type MarianConfig } from '../../../src/models/builders/marian-common.ts';
import { decoderGraph } from '../../../src/models/builders/marian-decoder.ts';
import { encoderGraph } from '../../../src/models/builders/marian-encoder.ts';
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

/** A real Marian-shaped Optimum export folder at toy size; `omit` leaves a file out. */
export function writeOptimumFolder(dir: string, options: { config?: boolean; omit?: string } = {}): void {
  mkdirSync(dir, { recursive: true });
  const context = { precision: 'fp32' as const, weights: new WeightSource(5) };
  const graphs = {
    'encoder_model.onnx': () => encoderGraph(context, TINY_MARIAN),
    'decoder_model.onnx': () => decoderGraph(context, false, TINY_MARIAN),
    'decoder_with_past_model.onnx': () => decoderGraph(context, true, TINY_MARIAN),
  };
  for (const [file, graph] of Object.entries(graphs)) if (file !== options.omit) writeModel(join(dir, file), graph(), INFO);
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
