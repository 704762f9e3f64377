/**
 * Multi-head attention as transformer exports spell it: per-head reshape/transpose, scaled dot
 * product, additive mask, softmax. Keys and values are returned in [batch, heads, seq, headDim] (the
 * layout of Optimum's present / past_key_values tensors) so decoders can cache them.
 */
import type { Layers } from './layers.ts';

export interface AttentionShape {
  dModel: number;
  heads: number;
}

/** [batch, seq, dModel] → [batch, heads, seq, headDim]. */
export function splitHeads(nn: Layers, x: string, shape: AttentionShape): string {
  const dims = nn.g.int64([0, 0, shape.heads, shape.dModel / shape.heads]);
  return nn.g.op('Transpose', [nn.g.op('Reshape', [x, dims])], { perm: [0, 2, 1, 3] });
}

/** [batch, heads, seq, headDim] → [batch, seq, dModel]. */
export function mergeHeads(nn: Layers, x: string, shape: AttentionShape): string {
  const merged = nn.g.op('Transpose', [x], { perm: [0, 2, 1, 3] });
  return nn.g.op('Reshape', [merged, nn.g.int64([0, 0, shape.dModel])]);
}

/** softmax(q·kᵀ/√d + mask)·v over split heads; `mask` broadcasts to [batch, heads, q, k]. */
export function scaledDotProduct(nn: Layers, q: string, k: string, v: string, mask: string | undefined, shape: AttentionShape): string {
  const g = nn.g;
  const scale = g.float32([1 / Math.sqrt(shape.dModel / shape.heads)]);
  const scores = g.op('MatMul', [g.op('Mul', [q, scale]), g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]);
  const masked = mask ? g.op('Add', [scores, mask]) : scores;
  return g.op('MatMul', [g.op('Softmax', [masked], { axis: -1 }), v]);
}

/** int64 [batch, seq] 1/0 padding mask → float additive mask [batch, 1, 1, seq] (0 or `negative`). */
export function paddingMask(nn: Layers, mask: string, negative = -1e4): string {
  const g = nn.g;
  const keep = g.op('Cast', [mask], { to: 1 });
  const blocked = g.op('Mul', [g.op('Sub', [g.float32([1]), keep]), g.float32([negative])]);
  return g.op('Unsqueeze', [blocked, g.int64([1, 2])]);
}

/** Self-attention over x with its own projections; returns the output projection and the raw k, v. */
export function selfAttention(nn: Layers, x: string, name: string, mask: string | undefined, shape: AttentionShape): { out: string; k: string; v: string } {
  const proj = (p: string): string => splitHeads(nn, nn.linear(x, { name: `${name}.${p}`, inFeatures: shape.dModel, outFeatures: shape.dModel }), shape);
  const q = proj('q_proj');
  const k = proj('k_proj');
  const v = proj('v_proj');
  const context = mergeHeads(nn, scaledDotProduct(nn, q, k, v, mask, shape), shape);
  return { out: nn.linear(context, { name: `${name}.out_proj`, inFeatures: shape.dModel, outFeatures: shape.dModel }), k, v };
}
