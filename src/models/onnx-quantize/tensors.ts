/**
 * Reading constant float tensors out of decoded TensorProtos (raw_data or float_data; data kept in
 * another file or split in segments is not read) and making the small tensors the rewrite adds.
 */
import { EXTERNAL_LOCATION, ElemType, int64ToNumber, type Int64, type TensorMsg } from './onnx-proto.ts';

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

/** The tensor's float32 values, or undefined when it is not float32 or its data is not inline. */
export function readFloatTensor(tensor: TensorMsg): FloatTensor | undefined {
  if (tensor.dataType !== ElemType.FLOAT) return undefined;
  if (tensor.dataLocation === EXTERNAL_LOCATION || (tensor.externalData?.length ?? 0) > 0 || tensor.segment) return undefined;
  const dims = (tensor.dims ?? []).map(int64ToNumber);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = tensor.rawData;
  let data: Float32Array;
  if (raw && raw.byteLength > 0) {
    // Copy (Buffer#slice would not): the decoded bytes are a view into the model at any, maybe unaligned, offset.
    data = new Float32Array(Uint8Array.from(raw).buffer, 0, raw.byteLength / 4);
  } else {
    data = Float32Array.from(tensor.floatData ?? []);
  }
  return data.length === count ? { dims, data } : undefined;
}

type Elem = (typeof ElemType)[keyof typeof ElemType];

/** An initializer holding `data` as little-endian raw_data (the form onnxruntime reads fastest). */
export function rawTensor(name: string, dataType: Elem, dims: number[], data: Float32Array | Int8Array | Uint8Array): TensorMsg {
  return { name, dataType, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function int64Tensor(name: string, values: Int64[]): TensorMsg {
  return { name, dataType: ElemType.INT64, dims: [values.length], int64Data: values };
}

export function floatScalar(name: string, value: number): TensorMsg {
  return rawTensor(name, ElemType.FLOAT, [], Float32Array.of(value));
}
