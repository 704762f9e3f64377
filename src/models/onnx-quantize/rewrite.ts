/**
 * The graph rewrite of onnxruntime's quantize_dynamic (CPU, default settings), on a decoded model:
 * - MatMul whose second input is a constant 2-D float tensor → its first input through
 *   DynamicQuantizeLinear (uint8, per tensor, one per activation however many nodes read it),
 *   MatMulInteger with int8 symmetric weights (per tensor, or per column), Cast to float, Mul by
 *   activation scale × weight scale.
 * - Gemm with transA = 0 and a constant 2-D B (onnxruntime leaves Gemm fp32; here it is the MatMul
 *   rewrite on Bᵀ when transB = 1, alpha folded into the weight scale, beta·C added back).
 * - Conv with constant float weights → ConvInteger with uint8 asymmetric weights (the only kind
 *   onnxruntime's CPU ConvInteger takes; one zero point per tensor), then Cast, Mul, and the bias
 *   added back in float through Reshape to [1, C, 1, …].
 * "Constant" means an initializer that is not also a graph input (those can be overridden at run
 * time), or the output of a Constant node (PaddleOCR's exports hold every weight in Constant nodes).
 * A weight read by several nodes is quantized once; the fp32 original is dropped only when nothing
 * reads it any more. Nodes inside subgraphs (If/Loop/Scan bodies) are left as they are.
 */
import { quantizeAsymmetricUint8, quantizeSymmetricInt8 } from '../quantize.ts';
import { namesReadInSubgraphs, type NameScope } from './graph-walk.ts';
import { AttrType, ElemType, int64ToNumber, type AttributeMsg, type GraphMsg, type NodeMsg, type TensorMsg } from './onnx-proto.ts';
import { floatScalar, int64Tensor, rawTensor, readFloatTensor, type FloatTensor } from './tensors.ts';

export interface QuantizeOptions {
  /**
   * One weight scale per output channel instead of one per tensor (default false, as onnxruntime's
   * default): per column of MatMul/Gemm weights, per output channel of Conv weights. onnxruntime's CPU
   * ConvInteger takes one weight zero point only, so per-channel Conv weights are uint8 symmetric
   * around a shared zero point of 128 (values 1–255, scale max|w_c| / 127 per channel).
   */
  perChannel?: boolean;
  /** Rewrite Gemm too (default true). */
  gemm?: boolean;
}

export interface RewriteCounts {
  matmuls: number;
  gemms: number;
  convs: number;
}

interface ConstantSource {
  tensor: TensorMsg;
  /** The Constant node that makes it, when it is not an initializer. */
  node?: NodeMsg;
}

/** A quantized weight: names of its initializers, and its scale(s) as numbers (Gemm folds alpha into them). */
interface QuantizedWeight {
  data: string;
  zeroPoint: string;
  scales: Float32Array;
  /** The scale initializer's dims: [] per tensor, [N] per MatMul column, [1, M, 1, …] per conv channel. */
  scaleDims: number[];
  /** Scale initializers by the factor folded into them. */
  scaleNames: Map<number, string>;
  base: string;
}

export function quantizeGraph(graph: GraphMsg, names: NameScope, options: QuantizeOptions = {}): RewriteCounts {
  return new GraphRewrite(graph, names, options).run();
}

class GraphRewrite {
  private readonly constants = new Map<string, ConstantSource>();
  private readonly weights = new Map<string, QuantizedWeight>();
  private readonly activations = new Map<string, [string, string, string]>();
  private readonly shapes = new Map<number, string>();
  private readonly added: TensorMsg[] = [];
  private readonly touched = new Set<string>();
  private readonly counts: RewriteCounts = { matmuls: 0, gemms: 0, convs: 0 };
  private nodes: NodeMsg[] = [];

  constructor(
    private readonly graph: GraphMsg,
    private readonly names: NameScope,
    private readonly options: QuantizeOptions,
  ) {
    const graphInputs = new Set((graph.input ?? []).map((i) => i.name));
    for (const t of graph.initializer ?? []) if (t.name && !graphInputs.has(t.name)) this.constants.set(t.name, { tensor: t });
    for (const node of graph.node ?? []) {
      const value = node.opType === 'Constant' && !node.domain ? node.attribute?.find((a) => a.name === 'value')?.t : undefined;
      const output = node.output?.[0];
      if (value && output) this.constants.set(output, { tensor: value, node });
    }
  }

  run(): RewriteCounts {
    for (const node of this.graph.node ?? []) {
      const replacement = this.rewrite(node);
      if (replacement) this.nodes.push(...replacement);
      else this.nodes.push(node);
    }
    this.graph.node = this.nodes;
    this.graph.initializer = [...(this.graph.initializer ?? []), ...this.added];
    this.dropUnread();
    return this.counts;
  }

  private rewrite(node: NodeMsg): NodeMsg[] | undefined {
    if (node.domain && node.domain !== 'ai.onnx') return undefined;
    if (node.opType === 'MatMul') return this.matMul(node);
    if (node.opType === 'Gemm' && this.options.gemm !== false) return this.gemm(node);
    if (node.opType === 'Conv') return this.conv(node);
    return undefined;
  }

  private matMul(node: NodeMsg): NodeMsg[] | undefined {
    const [x, w] = node.input ?? [];
    const weight = w ? this.floatConstant(w) : undefined;
    if (!x || !w || !weight || weight.dims.length !== 2) return undefined;
    const q = this.int8Weight(w, weight, false);
    const { nodes, product } = this.integerProduct('MatMulInteger', node, x, q, []);
    nodes.push(...this.rescale(node, product, this.scaleOf(q), node.output?.[0] ?? ''));
    this.counts.matmuls++;
    return nodes;
  }

  private gemm(node: NodeMsg): NodeMsg[] | undefined {
    const [a, b, c] = node.input ?? [];
    const weight = b ? this.floatConstant(b) : undefined;
    if (!a || !b || !weight || weight.dims.length !== 2 || intAttr(node, 'transA', 0) !== 0) return undefined;
    const transB = intAttr(node, 'transB', 0) !== 0;
    const alpha = floatAttr(node, 'alpha', 1);
    const beta = floatAttr(node, 'beta', 1);
    const q = this.int8Weight(b, transB ? transpose(weight) : weight, transB);
    const scale = this.scaleOf(q, alpha);
    const output = node.output?.[0] ?? '';
    const { nodes, product } = this.integerProduct('MatMulInteger', node, a, q, []);
    const hasBias = Boolean(c) && beta !== 0;
    const scaled = hasBias ? this.names.fresh(`${output}_scaled`) : output;
    nodes.push(...this.rescale(node, product, scale, scaled));
    if (hasBias && c) nodes.push(this.op('Add', node, [scaled, this.scaledBias(node, c, beta, nodes)], [output]));
    this.counts.gemms++;
    return nodes;
  }

  private conv(node: NodeMsg): NodeMsg[] | undefined {
    const [x, w, bias] = node.input ?? [];
    const weight = w ? this.floatConstant(w) : undefined;
    if (!x || !w || !weight || weight.dims.length < 3) return undefined;
    const q = this.uint8Weight(w, weight);
    const attrs = (node.attribute ?? []).filter((a) => CONV_ATTRIBUTES.has(a.name ?? ''));
    const { nodes, product } = this.integerProduct('ConvInteger', node, x, q, attrs);
    const output = node.output?.[0] ?? '';
    const scaled = bias ? this.names.fresh(`${output}_scaled`) : output;
    nodes.push(...this.rescale(node, product, this.scaleOf(q), scaled));
    if (bias) {
      const shape = this.biasShape(weight.dims.length);
      const reshaped = this.names.fresh(`${bias}_reshaped`);
      nodes.push(this.op('Reshape', node, [bias, shape], [reshaped]), this.op('Add', node, [scaled, reshaped], [output]));
    }
    this.counts.convs++;
    return nodes;
  }

  /** [DynamicQuantizeLinear of x, if it is the first consumer] + the integer node; product is int32. */
  private integerProduct(opType: string, node: NodeMsg, x: string, w: QuantizedWeight, attribute: AttributeMsg[]) {
    const nodes: NodeMsg[] = [];
    let quantized = this.activations.get(x);
    if (!quantized) {
      quantized = [this.names.fresh(`${x}_quantized`), this.names.fresh(`${x}_scale`), this.names.fresh(`${x}_zero_point`)];
      this.activations.set(x, quantized);
      nodes.push({ name: this.names.fresh(`${x}_DynamicQuantizeLinear`), opType: 'DynamicQuantizeLinear', domain: '', input: [x], output: quantized });
    }
    const [xq, , xZero] = quantized;
    const product = this.names.fresh(`${node.output?.[0] ?? x}_int32`);
    nodes.push({ ...this.op(opType, node, [xq, w.data, xZero, w.zeroPoint], [product]), attribute });
    return { nodes, product };
  }

  /** int32 → float: Cast, then Mul by (activation scale × weight scale). */
  private rescale(node: NodeMsg, product: string, weightScale: string, output: string): NodeMsg[] {
    const xScale = this.activations.get(node.input?.[0] ?? '')?.[1] ?? '';
    const scale = this.names.fresh(`${output}_scale`);
    const cast = this.names.fresh(`${output}_float`);
    return [
      this.op('Mul', node, [xScale, weightScale], [scale]),
      { ...this.op('Cast', node, [product], [cast]), attribute: [{ name: 'to', type: AttrType.INT, i: ElemType.FLOAT }] },
      this.op('Mul', node, [cast, scale], [output]),
    ];
  }

  /** beta·C: C itself, a scaled copy of a constant C, or a Mul node. */
  private scaledBias(node: NodeMsg, c: string, beta: number, nodes: NodeMsg[]): string {
    if (beta === 1) return c;
    const constant = this.floatConstant(c);
    if (constant) this.touched.add(c);
    if (constant) return this.initializer(`${c}_beta`, (n) => rawTensor(n, ElemType.FLOAT, constant.dims, constant.data.map((v) => v * beta)));
    const betaName = this.initializer(`${c}_beta_factor`, (n) => floatScalar(n, beta));
    const scaled = this.names.fresh(`${c}_beta`);
    nodes.push(this.op('Mul', node, [c, betaName], [scaled]));
    return scaled;
  }

  private int8Weight(name: string, weight: FloatTensor, transposed: boolean): QuantizedWeight {
    const key = `int8${transposed ? 'T' : ''}${this.options.perChannel ? 'C' : ''}:${name}`;
    const cached = this.weights.get(key);
    if (cached) return cached;
    this.touched.add(name);
    const [rows, columns] = weight.dims as [number, number];
    const { data, scales } = this.options.perChannel ? quantizeColumnsInt8(weight.data, rows, columns) : perTensorInt8(weight.data);
    const base = transposed ? `${name}_transposed` : name;
    const q: QuantizedWeight = {
      data: this.initializer(`${base}_quantized`, (n) => rawTensor(n, ElemType.INT8, weight.dims, data)),
      zeroPoint: this.initializer(`${base}_zero_point`, (n) => rawTensor(n, ElemType.INT8, [], Int8Array.of(0))),
      scales,
      scaleDims: scales.length === 1 ? [] : [scales.length],
      scaleNames: new Map(),
      base,
    };
    this.weights.set(key, q);
    return q;
  }

  private uint8Weight(name: string, weight: FloatTensor): QuantizedWeight {
    const perChannel = this.options.perChannel === true;
    const key = `uint8${perChannel ? 'C' : ''}:${name}`;
    const cached = this.weights.get(key);
    if (cached) return cached;
    this.touched.add(name);
    const channels = weight.dims[0] as number;
    const { data, scales, zeroPoint } = perChannel ? quantizeChannelsUint8(weight.data, channels) : perTensorUint8(weight.data);
    const q: QuantizedWeight = {
      data: this.initializer(`${name}_quantized`, (n) => rawTensor(n, ElemType.UINT8, weight.dims, data)),
      zeroPoint: this.initializer(`${name}_zero_point`, (n) => rawTensor(n, ElemType.UINT8, [], Uint8Array.of(zeroPoint))),
      scales,
      // Per-channel scales multiply the [N, M, …] output through a [1, M, 1, …] tensor.
      scaleDims: perChannel ? [1, channels, ...Array<number>(weight.dims.length - 2).fill(1)] : [],
      scaleNames: new Map(),
      base: name,
    };
    this.weights.set(key, q);
    return q;
  }

  /** The weight's scale initializer with `factor` folded in, made the first time it is asked for. */
  private scaleOf(q: QuantizedWeight, factor = 1): string {
    const cached = q.scaleNames.get(factor);
    if (cached) return cached;
    const base = factor === 1 ? `${q.base}_scale` : `${q.base}_scale_times_${factor}`;
    const scales = q.scales.map((s) => s * factor);
    const name = this.initializer(base, (n) => (q.scaleDims.length === 0 ? floatScalar(n, scales[0] as number) : rawTensor(n, ElemType.FLOAT, q.scaleDims, scales)));
    q.scaleNames.set(factor, name);
    return name;
  }

  /** int64 [1, -1, 1, …] of the conv's rank, shared by every conv of that rank. */
  private biasShape(rank: number): string {
    const cached = this.shapes.get(rank);
    if (cached) return cached;
    const shape = this.initializer(`bias_shape_rank${rank}`, (n) => int64Tensor(n, [1, -1, ...Array<number>(rank - 2).fill(1)]));
    this.shapes.set(rank, shape);
    return shape;
  }

  private floatConstant(name: string): FloatTensor | undefined {
    const source = this.constants.get(name);
    return source ? readFloatTensor(source.tensor) : undefined;
  }

  private initializer(base: string, make: (name: string) => TensorMsg): string {
    const tensor = make(this.names.fresh(base));
    this.added.push(tensor);
    return tensor.name as string;
  }

  private op(opType: string, from: NodeMsg, input: string[], output: string[]): NodeMsg {
    return { name: this.names.fresh(`${from.name || output[0]}_${opType}`), opType, domain: '', input, output };
  }

  /** Drops the fp32 weights this rewrite replaced when no node, subgraph or graph output reads them any more. */
  private dropUnread(): void {
    const read = namesReadInSubgraphs(this.graph);
    for (const node of this.graph.node ?? []) for (const input of node.input ?? []) read.add(input);
    for (const output of this.graph.output ?? []) if (output.name) read.add(output.name);
    const unread = new Set([...this.touched].filter((name) => !read.has(name)));
    if (unread.size === 0) return;
    const dead = new Set([...unread].map((name) => this.constants.get(name)?.node).filter((n): n is NodeMsg => n !== undefined));
    this.graph.node = (this.graph.node ?? []).filter((n) => !dead.has(n));
    this.graph.initializer = (this.graph.initializer ?? []).filter((t) => !unread.has(t.name ?? ''));
    if (this.graph.valueInfo) this.graph.valueInfo = this.graph.valueInfo.filter((v) => !unread.has(v.name ?? ''));
  }
}

/** The attributes Conv and ConvInteger share (all of Conv's). */
const CONV_ATTRIBUTES = new Set(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);

function perTensorInt8(weights: Float32Array): { data: Int8Array; scales: Float32Array } {
  const { data, scale } = quantizeSymmetricInt8(weights);
  return { data, scales: Float32Array.of(scale) };
}

function perTensorUint8(weights: Float32Array): { data: Uint8Array; scales: Float32Array; zeroPoint: number } {
  const { data, scale, zeroPoint } = quantizeAsymmetricUint8(weights);
  return { data, scales: Float32Array.of(scale), zeroPoint };
}

/** The zero point every channel shares in per-channel uint8 weights: int8 symmetric values shifted by 128. */
const SHARED_UINT8_ZERO = 128;

/** Uint8 per output channel (the first axis): each channel's int8 symmetric values + 128. */
export function quantizeChannelsUint8(weights: Float32Array, channels: number): { data: Uint8Array; scales: Float32Array; zeroPoint: number } {
  const size = weights.length / channels;
  const data = new Uint8Array(weights.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const q = quantizeSymmetricInt8(weights.subarray(c * size, (c + 1) * size));
    scales[c] = q.scale;
    for (let i = 0; i < size; i++) data[c * size + i] = (q.data[i] as number) + SHARED_UINT8_ZERO;
  }
  return { data, scales, zeroPoint: SHARED_UINT8_ZERO };
}

/** Int8 symmetric per column of a row-major [rows, columns] matrix (MatMulInteger takes a zero point per column). */
export function quantizeColumnsInt8(weights: Float32Array, rows: number, columns: number): { data: Int8Array; scales: Float32Array } {
  const data = new Int8Array(weights.length);
  const scales = new Float32Array(columns);
  const column = new Float32Array(rows);
  for (let j = 0; j < columns; j++) {
    for (let i = 0; i < rows; i++) column[i] = weights[i * columns + j] as number;
    const q = quantizeSymmetricInt8(column);
    scales[j] = q.scale;
    for (let i = 0; i < rows; i++) data[i * columns + j] = q.data[i] as number;
  }
  return { data, scales };
}

function transpose(t: FloatTensor): FloatTensor {
  const [rows, columns] = t.dims as [number, number];
  const data = new Float32Array(t.data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) data[j * rows + i] = t.data[i * columns + j] as number;
  return { dims: [columns, rows], data };
}

function intAttr(node: NodeMsg, name: string, fallback: number): number {
  const attr = node.attribute?.find((a) => a.name === name);
  return attr ? int64ToNumber(attr.i) : fallback;
}

function floatAttr(node: NodeMsg, name: string, fallback: number): number {
  return node.attribute?.find((a) => a.name === name)?.f ?? fallback;
}
