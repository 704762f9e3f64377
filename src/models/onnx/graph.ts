/**
 * A small ONNX graph builder: declare inputs, initializers, nodes and outputs by name; `writeModel`
 * serializes the result. Node outputs get unique generated names unless given.
 */
import { AttributeType, DataType, type DataTypeName } from './schema.ts';

export type TensorValues = Float32Array | BigInt64Array | Int8Array | Uint8Array | Int32Array;

export interface Tensor {
  dataType: DataTypeName;
  dims: number[];
  data: TensorValues;
}

/** A symbolic (string) or fixed (number) dimension of a graph input or output. */
export type Dim = number | string;

/** A float attribute whose value may happen to be integral (plain integral numbers encode as INT). */
export interface FloatAttr {
  float: number;
}
export type AttrValue = number | number[] | string | FloatAttr | Tensor;

export interface ValueInfo {
  name: string;
  dataType: DataTypeName;
  dims: Dim[];
}

export interface NodeSpec {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttrValue>;
}

export interface NodeOptions {
  /** Output names; default: one generated name. A number asks for that many generated names. */
  outputs?: string[] | number;
  domain?: string;
}

export const float = (value: number): FloatAttr => ({ float: value });

export class GraphBuilder {
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  readonly initializers = new Map<string, Tensor>();
  readonly nodes: NodeSpec[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  input(name: string, dataType: DataTypeName, dims: Dim[]): string {
    this.inputs.push({ name, dataType, dims });
    return name;
  }

  /** Marks `value` as a graph output, renaming it through Identity when the names differ. */
  output(name: string, dataType: DataTypeName, dims: Dim[], value: string = name): string {
    if (value !== name) this.node('Identity', [value], {}, { outputs: [name] });
    this.outputs.push({ name, dataType, dims });
    return name;
  }

  initializer(name: string, tensor: Tensor): string {
    if (this.initializers.has(name)) throw new Error(`duplicate initializer ${name}`);
    this.initializers.set(name, tensor);
    return name;
  }

  /** An int64 constant (shapes, axes, indices), stored as an initializer. */
  int64(values: number[], dims: number[] = [values.length]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.initializer(this.uniqueName('const_i64'), { dataType: 'INT64', dims, data });
  }

  /** A float32 constant, scalar by default. */
  float32(values: number[], dims: number[] = []): string {
    return this.initializer(this.uniqueName('const_f32'), { dataType: 'FLOAT', dims, data: Float32Array.from(values) });
  }

  /** Adds a node with one output and returns the output name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttrValue> = {}, options: NodeOptions = {}): string {
    const [first] = this.node(opType, inputs, attributes, options);
    return first as string;
  }

  /** Adds a node and returns all its output names. */
  node(opType: string, inputs: string[], attributes: Record<string, AttrValue> = {}, options: NodeOptions = {}): string[] {
    const name = this.uniqueName(opType);
    const wanted = options.outputs ?? 1;
    const outputs = typeof wanted === 'number' ? Array.from({ length: wanted }, (_, i) => `${name}_out${i}`) : wanted;
    this.nodes.push({ opType, domain: options.domain ?? '', name, inputs, outputs, attributes });
    return outputs;
  }

  uniqueName(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }
}

/** AttributeProto plain object for protobufjs. */
export function attributeProto(name: string, value: AttrValue): Record<string, unknown> {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: Buffer.from(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.FLOAT, f: value };
  }
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.TENSOR, t: tensorProto(name, value, true) };
}

/** TensorProto plain object; raw data is left out when the caller streams it separately. */
export function tensorProto(name: string, tensor: Tensor, withData: boolean): Record<string, unknown> {
  const header: Record<string, unknown> = { name, dims: tensor.dims, dataType: DataType[tensor.dataType] };
  return withData ? { ...header, rawData: tensorBytes(tensor) } : header;
}

/** Little-endian bytes of the tensor values, without copying (ONNX raw_data is little-endian; so is x86/arm). */
export function tensorBytes(tensor: Tensor): Uint8Array {
  const { data } = tensor;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function valueInfoProto(info: ValueInfo): Record<string, unknown> {
  const dim = info.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: info.name, type: { tensorType: { elemType: DataType[info.dataType], shape: { dim } } } };
}
