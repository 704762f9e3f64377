/**
 * Marian decoder as Optimum exports it. `decoder_model.onnx` runs the whole target prefix (causal
 * mask) and returns logits plus every layer's present self- and cross-attention keys/values;
 * `decoder_with_past_model.onnx` takes one new token and the past_key_values and, like a real export,
 * returns only the self-attention presents (the cross-attention ones never change) and has no
 * encoder_hidden_states input (unused once the cross keys are cached, so the exporter drops it).
 */
import { mergeHeads, paddingMask, scaledDotProduct, splitHeads, type AttentionShape } from '../attention.ts';
import type { BuildContext } from '../builder.ts';
import { Layers } from '../layers.ts';
import { GraphBuilder, type Dim } from '../onnx/graph.ts';
import { BLOCKED, MARIAN, SHARED_EMBEDDING, type MarianConfig, embedTokens, feedForward, sharedEmbedding } from './marian-common.ts';

const BATCH = 'batch_size';
/** Logit bias that keeps a token from ever being the argmax. */
const NEVER = -1e4;
const SOURCE = 'encoder_sequence_length';

interface Cache {
  key: string;
  value: string;
}

/** How one decoder file gets its attention keys/values. */
interface DecoderIO {
  config: MarianConfig;
  withPast: boolean;
  encoderHidden?: string;
  /** Self-attention mask (causal) when several target tokens are fed at once. */
  causalMask?: string;
  encoderMask: string;
}

export function decoderGraph(context: BuildContext, withPast: boolean, c: MarianConfig = MARIAN): GraphBuilder {
  const g = new GraphBuilder(withPast ? 'marian_decoder_with_past' : 'marian_decoder');
  const nn = new Layers(g, context.weights, { precision: context.precision, quantizeConv: false });
  const encoderMask = paddingMask(nn, g.input('encoder_attention_mask', 'INT64', [BATCH, SOURCE]), BLOCKED);
  const ids = g.input('input_ids', 'INT64', withPast ? [BATCH, 1] : [BATCH, 'decoder_sequence_length']);
  const io: DecoderIO = withPast
    ? { config: c, withPast, encoderMask }
    : { config: c, withPast, encoderMask, encoderHidden: g.input('encoder_hidden_states', 'FLOAT', [BATCH, SOURCE, c.dModel]), causalMask: causalMask(nn, ids) };
  if (withPast) declarePastInputs(g, c);
  const embedding = sharedEmbedding(nn, c);
  let x = embedTokens(nn, c, ids, embedding, withPast ? pastLength(g) : g.int64([0], []));
  for (let i = 0; i < c.decoderLayers; i++) x = decoderLayer(nn, x, i, io);
  g.output('logits', 'FLOAT', [BATCH, withPast ? 1 : 'decoder_sequence_length', c.vocab], logits(nn, c, x, embedding));
  return g;
}

function decoderLayer(nn: Layers, x: string, i: number, io: DecoderIO): string {
  const g = nn.g;
  const name = `model.decoder.layers.${i}`;
  const past = io.withPast ? { key: `past_key_values.${i}.decoder.key`, value: `past_key_values.${i}.decoder.value` } : undefined;
  const c = io.config;
  const self = selfAttentionStep(nn, c, x, `${name}.self_attn`, past, io.causalMask);
  const selfDim = io.withPast ? 'past_decoder_sequence_length + 1' : 'decoder_sequence_length';
  declarePresent(g, c, `present.${i}.decoder`, self.cache, selfDim);
  x = nn.layerNorm(g.op('Add', [x, self.out]), `${name}.self_attn_layer_norm`, c.dModel);
  const cross = crossAttention(nn, x, `${name}.encoder_attn`, io, i);
  if (!io.withPast) declarePresent(g, c, `present.${i}.encoder`, cross.cache, SOURCE);
  x = nn.layerNorm(g.op('Add', [x, cross.out]), `${name}.encoder_attn_layer_norm`, c.dModel);
  return feedForward(nn, c, x, name);
}

function selfAttentionStep(nn: Layers, c: MarianConfig, x: string, name: string, past: Cache | undefined, mask: string | undefined): { out: string; cache: Cache } {
  const g = nn.g;
  const shape = attentionShape(c);
  const project = (p: string): string => splitHeads(nn, nn.linear(x, { name: `${name}.${p}`, inFeatures: c.dModel, outFeatures: c.dModel }), shape);
  const q = project('q_proj');
  const newKey = project('k_proj');
  const newValue = project('v_proj');
  const key = past ? g.op('Concat', [past.key, newKey], { axis: 2 }) : newKey;
  const value = past ? g.op('Concat', [past.value, newValue], { axis: 2 }) : newValue;
  const context = mergeHeads(nn, scaledDotProduct(nn, q, key, value, mask, shape), shape);
  return { out: nn.linear(context, { name: `${name}.out_proj`, inFeatures: c.dModel, outFeatures: c.dModel }), cache: { key, value } };
}

/** Cross-attention: keys/values from the encoder states, or from the cache in the with-past file. */
function crossAttention(nn: Layers, x: string, name: string, io: DecoderIO, layer: number): { out: string; cache: Cache } {
  const c = io.config;
  const shape = attentionShape(c);
  const project = (input: string, p: string): string => splitHeads(nn, nn.linear(input, { name: `${name}.${p}`, inFeatures: c.dModel, outFeatures: c.dModel }), shape);
  const q = project(x, 'q_proj');
  const cache = io.encoderHidden
    ? { key: project(io.encoderHidden, 'k_proj'), value: project(io.encoderHidden, 'v_proj') }
    : { key: `past_key_values.${layer}.encoder.key`, value: `past_key_values.${layer}.encoder.value` };
  const context = mergeHeads(nn, scaledDotProduct(nn, q, cache.key, cache.value, io.encoderMask, shape), shape);
  return { out: nn.linear(context, { name: `${name}.out_proj`, inFeatures: c.dModel, outFeatures: c.dModel }), cache };
}

/**
 * Logits over the shared embedding plus final_logits_bias. fp32 shares the table via Gemm(transB);
 * int8 stores Eᵀ quantized. The bias rules out EOS, so a synthetic decoder always runs to the
 * manifest's length limit and every request of a given source length costs the same.
 */
function logits(nn: Layers, c: MarianConfig, x: string, embedding: Float32Array): string {
  const g = nn.g;
  const { vocab, dModel } = c;
  const biasValues = nn.weights.normal('final_logits_bias', vocab, 0.02);
  biasValues[c.eosId] = NEVER;
  const bias = g.initializer('final_logits_bias', { dataType: 'FLOAT', dims: [vocab], data: biasValues });
  const outShape = g.op('Concat', [g.op('Slice', [g.op('Shape', [x]), g.int64([0]), g.int64([2])]), g.int64([-1])], { axis: 0 });
  if (!nn.int8) {
    const rows = g.op('Reshape', [x, g.int64([-1, dModel])]);
    return g.op('Reshape', [g.op('Gemm', [rows, SHARED_EMBEDDING, bias], { transB: 1 }), outShape]);
  }
  const product = nn.linear(x, { name: 'lm_head', inFeatures: dModel, outFeatures: vocab, bias: false, weights: transpose(embedding, vocab, dModel) });
  return g.op('Add', [product, bias]);
}

/** [T, T] additive mask blocking future positions (column > row). */
function causalMask(nn: Layers, ids: string): string {
  const g = nn.g;
  const length = g.op('Gather', [g.op('Shape', [ids]), g.int64([1], [])], { axis: 0 });
  const positions = g.op('Range', [g.int64([0], []), length, g.int64([1], [])]);
  const future = g.op('Greater', [g.op('Unsqueeze', [positions, g.int64([0])]), g.op('Unsqueeze', [positions, g.int64([1])])]);
  return g.op('Mul', [g.op('Cast', [future], { to: 1 }), g.float32([BLOCKED])]);
}

/** Tokens already decoded = length of the cached self-attention keys. */
function pastLength(g: GraphBuilder): string {
  return g.op('Gather', [g.op('Shape', ['past_key_values.0.decoder.key']), g.int64([2], [])], { axis: 0 });
}

function declarePastInputs(g: GraphBuilder, c: MarianConfig): void {
  for (let i = 0; i < c.decoderLayers; i++) {
    for (const [part, seq] of [['decoder', 'past_decoder_sequence_length'], ['encoder', SOURCE]] as const) {
      for (const kind of ['key', 'value']) g.input(`past_key_values.${i}.${part}.${kind}`, 'FLOAT', cacheDims(c, seq));
    }
  }
}

function declarePresent(g: GraphBuilder, c: MarianConfig, prefix: string, cache: Cache, seq: Dim): void {
  g.output(`${prefix}.key`, 'FLOAT', cacheDims(c, seq), cache.key);
  g.output(`${prefix}.value`, 'FLOAT', cacheDims(c, seq), cache.value);
}

function cacheDims(c: MarianConfig, seq: Dim): Dim[] {
  return [BATCH, c.heads, seq, c.dModel / c.heads];
}

function attentionShape(c: MarianConfig): AttentionShape {
  return { dModel: c.dModel, heads: c.heads };
}

function transpose(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = matrix[r * cols + c] as number;
  return out;
}
