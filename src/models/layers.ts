/**
 * Network building blocks over a GraphBuilder: linear, conv, layer norm, activations. The precision
 * decides how weights are stored: fp32 initializers, or int8 with run-time activation quantization
 * the way onnxruntime's quantize_dynamic rewrites them (DynamicQuantizeLinear → MatMulInteger /
 * ConvInteger → Cast → Mul by the two scales → Add bias). Weights are drawn the same way for both
 * precisions, so an int8 model is the quantized twin of its fp32 model.
 */
import type { Precision } from './manifest.ts';
import { float, type GraphBuilder } from './onnx/graph.ts';
import { quantizeAsymmetricUint8, quantizeSymmetricInt8 } from './quantize.ts';
import type { WeightSource } from './weights.ts';

export interface LinearSpec {
  name: string;
  inFeatures: number;
  outFeatures: number;
  std?: number;
  bias?: boolean;
  /** Pre-drawn [in, out] weights (e.g. a transposed shared embedding) instead of fresh ones. */
  weights?: Float32Array;
}

export interface ConvSpec {
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride?: number;
  pad?: number;
  /** Weight std; default He init sqrt(2 / fan_in). */
  std?: number;
}

export interface LayerOptions {
  precision: Precision;
  /** Quantize convolutions with ConvInteger in int8 models (else they stay fp32). */
  quantizeConv: boolean;
}

export class Layers {
  private readonly quantizedInputs = new Map<string, [string, string, string]>();

  constructor(
    readonly g: GraphBuilder,
    readonly weights: WeightSource,
    readonly options: LayerOptions,
  ) {}

  get int8(): boolean {
    return this.options.precision === 'int8';
  }

  /** Fresh fp32 parameter drawn from the tensor's own seeded stream. */
  param(name: string, dims: number[], std: number, mean = 0): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.g.initializer(name, { dataType: 'FLOAT', dims, data: this.weights.normal(name, count, std, mean) });
  }

  constant(name: string, dims: number[], value: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.g.initializer(name, { dataType: 'FLOAT', dims, data: new Float32Array(count).fill(value) });
  }

  /**
   * Rows of an embedding table: Gather on fp32, or (int8) Gather on the int8 table then
   * DequantizeLinear, as quantize_dynamic treats Gather.
   */
  embedding(ids: string, name: string, table: Float32Array, dims: [number, number]): string {
    if (!this.int8) return this.g.op('Gather', [this.g.initializer(name, { dataType: 'FLOAT', dims, data: table }), ids]);
    const q = quantizeSymmetricInt8(table);
    const data = this.g.initializer(`${name}_quantized`, { dataType: 'INT8', dims, data: q.data });
    const scale = this.g.initializer(`${name}_scale`, { dataType: 'FLOAT', dims: [], data: Float32Array.of(q.scale) });
    const zero = this.g.initializer(`${name}_zero_point`, { dataType: 'INT8', dims: [], data: Int8Array.of(0) });
    return this.g.op('DequantizeLinear', [this.g.op('Gather', [data, ids]), scale, zero]);
  }

  /** x[..., in] → x[..., out]: MatMul + Add in fp32, MatMulInteger chain in int8. */
  linear(x: string, spec: LinearSpec): string {
    const { name, inFeatures, outFeatures } = spec;
    const w = spec.weights ?? this.weights.normal(`${name}.weight`, inFeatures * outFeatures, spec.std ?? 0.02);
    const dims = [inFeatures, outFeatures];
    const product = this.int8
      ? this.matMulInt8(x, w, dims, name)
      : this.g.op('MatMul', [x, this.g.initializer(`${name}.weight`, { dataType: 'FLOAT', dims, data: w })]);
    if (spec.bias === false) return product;
    return this.g.op('Add', [product, this.param(`${name}.bias`, [outFeatures], 0.02)]);
  }

  /** NCHW convolution with bias (batch norm, when the architecture has one, is folded in). */
  conv(x: string, spec: ConvSpec): string {
    const { name, inChannels, outChannels, kernel } = spec;
    const dims = [outChannels, inChannels, kernel, kernel];
    const std = spec.std ?? Math.sqrt(2 / (inChannels * kernel * kernel));
    const w = this.weights.normal(`${name}.weight`, outChannels * inChannels * kernel * kernel, std);
    const pad = spec.pad ?? 0;
    const attrs = { kernel_shape: [kernel, kernel], strides: [spec.stride ?? 1, spec.stride ?? 1], pads: [pad, pad, pad, pad] };
    const bias = this.param(`${name}.bias`, [outChannels], 0.01);
    if (!(this.int8 && this.options.quantizeConv)) {
      const weight = this.g.initializer(`${name}.weight`, { dataType: 'FLOAT', dims, data: w });
      return this.g.op('Conv', [x, weight, bias], attrs);
    }
    const q = quantizeAsymmetricUint8(w);
    const [xq, xScale, xZero] = this.quantizeInput(x);
    const wq = this.g.initializer(`${name}.weight_quantized`, { dataType: 'UINT8', dims, data: q.data });
    const wZero = this.g.initializer(`${name}.weight_zero_point`, { dataType: 'UINT8', dims: [], data: Uint8Array.of(q.zeroPoint) });
    const acc = this.g.op('ConvInteger', [xq, wq, xZero, wZero], attrs);
    const scaled = this.rescale(acc, xScale, q.scale, name);
    const biasShape = this.g.int64([1, outChannels, 1, 1]);
    return this.g.op('Add', [scaled, this.g.op('Reshape', [bias, biasShape])]);
  }

  layerNorm(x: string, name: string, features: number, epsilon = 1e-5): string {
    const gamma = this.constant(`${name}.weight`, [features], 1);
    const beta = this.constant(`${name}.bias`, [features], 0);
    return this.g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: float(epsilon) });
  }

  /** SiLU / swish: x · sigmoid(x). */
  silu(x: string): string {
    return this.g.op('Mul', [x, this.g.op('Sigmoid', [x])]);
  }

  /** Exact GELU 0.5·x·(1 + erf(x/√2)), the pattern onnxruntime fuses into its Gelu kernel. */
  gelu(x: string): string {
    const erf = this.g.op('Erf', [this.g.op('Div', [x, this.g.float32([Math.SQRT2])])]);
    const onePlus = this.g.op('Add', [erf, this.g.float32([1])]);
    return this.g.op('Mul', [this.g.op('Mul', [x, onePlus]), this.g.float32([0.5])]);
  }

  leakyRelu(x: string, alpha = 0.2): string {
    return this.g.op('LeakyRelu', [x], { alpha: float(alpha) });
  }

  private matMulInt8(x: string, w: Float32Array, dims: number[], name: string): string {
    const q = quantizeSymmetricInt8(w);
    const [xq, xScale, xZero] = this.quantizeInput(x);
    const wq = this.g.initializer(`${name}.weight_quantized`, { dataType: 'INT8', dims, data: q.data });
    const wZero = this.g.initializer(`${name}.weight_zero_point`, { dataType: 'INT8', dims: [], data: Int8Array.of(0) });
    const acc = this.g.op('MatMulInteger', [xq, wq, xZero, wZero]);
    return this.rescale(acc, xScale, q.scale, name);
  }

  /** int32 accumulator → float: Cast, then Mul by (activation scale × weight scale). */
  private rescale(acc: string, xScale: string, weightScale: number, name: string): string {
    const wScale = this.g.initializer(`${name}.weight_scale`, { dataType: 'FLOAT', dims: [], data: Float32Array.of(weightScale) });
    const scale = this.g.op('Mul', [xScale, wScale]);
    return this.g.op('Mul', [this.g.op('Cast', [acc], { to: 1 }), scale]);
  }

  /** One DynamicQuantizeLinear per activation, shared by every consumer (as quantize_dynamic does). */
  private quantizeInput(x: string): [string, string, string] {
    const cached = this.quantizedInputs.get(x);
    if (cached) return cached;
    const [q, scale, zero] = this.g.node('DynamicQuantizeLinear', [x], {}, { outputs: 3 }) as [string, string, string];
    this.quantizedInputs.set(x, [q, scale, zero]);
    return [q, scale, zero];
  }
}
