/** Marian encoder as Optimum exports it: encoder_model.onnx (input_ids, attention_mask → last_hidden_state). */
import { paddingMask, selfAttention } from '../attention.ts';
import type { BuildContext } from '../builder.ts';
import { Layers } from '../layers.ts';
import { GraphBuilder } from '../onnx/graph.ts';
import { BLOCKED, MARIAN, embedTokens, feedForward, sharedEmbedding, type MarianConfig } from './marian-common.ts';

export function encoderGraph(context: BuildContext, c: MarianConfig = MARIAN): GraphBuilder {
  const g = new GraphBuilder('marian_encoder');
  const nn = new Layers(g, context.weights, { precision: context.precision, quantizeConv: false });
  const dims = ['batch_size', 'encoder_sequence_length'];
  const ids = g.input('input_ids', 'INT64', dims);
  const mask = paddingMask(nn, g.input('attention_mask', 'INT64', dims), BLOCKED);
  let x = embedTokens(nn, c, ids, sharedEmbedding(nn, c), g.int64([0], []));
  for (let i = 0; i < c.encoderLayers; i++) {
    const name = `model.encoder.layers.${i}`;
    const attention = selfAttention(nn, x, `${name}.self_attn`, mask, { dModel: c.dModel, heads: c.heads });
    x = nn.layerNorm(g.op('Add', [x, attention.out]), `${name}.self_attn_layer_norm`, c.dModel);
    x = feedForward(nn, c, x, name);
  }
  g.output('last_hidden_state', 'FLOAT', [...dims, c.dModel], x);
  return g;
}
