/**
 * Shared parts of the MarianMT opus-mt-zh-en graphs (Hugging Face `Helsinki-NLP/opus-mt-zh-en`
 * config.json: d_model 512, 6+6 layers, 8 heads, FFN 2048, swish, post-LN, scale_embedding,
 * static sinusoidal positions, vocab 65001 shared with the output projection, pad 65000 = decoder
 * start, eos 0).
 */
import type { Layers } from '../layers.ts';

export interface MarianConfig {
  dModel: number;
  encoderLayers: number;
  decoderLayers: number;
  heads: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  padId: number;
  eosId: number;
}

/** Additive mask value for blocked positions (finite so that fully padded rows stay finite). */
export const BLOCKED = -1e9;

export const MARIAN: MarianConfig = {
  dModel: 512,
  encoderLayers: 6,
  decoderLayers: 6,
  heads: 8,
  ffn: 2048,
  vocab: 65001,
  maxPositions: 512,
  padId: 65000,
  eosId: 0,
};

export const SHARED_EMBEDDING = 'model.shared.weight';

/** The shared [vocab, dModel] embedding; drawn from its own stream, so it is identical in every file. */
export function sharedEmbedding(nn: Layers, c: MarianConfig): Float32Array {
  return nn.weights.normal(SHARED_EMBEDDING, c.vocab * c.dModel, 0.02);
}

/**
 * Marian's sinusoidal table: row p = [sin(p·ω_0..ω_{d/2-1}), cos(p·ω_0..ω_{d/2-1})] with
 * ω_j = 10000^(-2j/d) (MarianSinusoidalPositionalEmbedding puts all sines first, then all cosines).
 */
export function sinusoidalTable(positions: number, dim: number): Float32Array {
  const table = new Float32Array(positions * dim);
  const half = dim / 2;
  for (let p = 0; p < positions; p++) {
    for (let j = 0; j < half; j++) {
      const angle = p / Math.pow(10000, (2 * j) / dim);
      table[p * dim + j] = Math.sin(angle);
      table[p * dim + half + j] = Math.cos(angle);
    }
  }
  return table;
}

/** Token embedding × √d_model plus the positions `start`..`start+len-1` (start: int64 scalar). */
export function embedTokens(nn: Layers, c: MarianConfig, ids: string, embedding: Float32Array, start: string): string {
  const g = nn.g;
  const { vocab, dModel, maxPositions } = c;
  const tokens = nn.embedding(ids, SHARED_EMBEDDING, embedding, [vocab, dModel]);
  const scaled = g.op('Mul', [tokens, g.float32([Math.sqrt(dModel)])]);
  const length = g.op('Gather', [g.op('Shape', [ids]), g.int64([1], [])], { axis: 0 });
  const positions = g.op('Range', [start, g.op('Add', [start, length]), g.int64([1], [])]);
  const table = g.initializer('model.embed_positions.weight', { dataType: 'FLOAT', dims: [maxPositions, dModel], data: sinusoidalTable(maxPositions, dModel) });
  return g.op('Add', [scaled, g.op('Gather', [table, positions])]);
}

/** Post-LN feed-forward sublayer: LN(x + fc2(swish(fc1(x)))). */
export function feedForward(nn: Layers, c: MarianConfig, x: string, name: string): string {
  const { dModel, ffn } = c;
  const inner = nn.silu(nn.linear(x, { name: `${name}.fc1`, inFeatures: dModel, outFeatures: ffn }));
  const out = nn.linear(inner, { name: `${name}.fc2`, inFeatures: ffn, outFeatures: dModel });
  return nn.layerNorm(nn.g.op('Add', [x, out]), `${name}.final_layer_norm`, dModel);
}
