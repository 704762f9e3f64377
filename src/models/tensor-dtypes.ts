/**
 * The element types a tensor model's inputs and outputs may have, and how JSON values map onto them: the typed
 * array ONNX Runtime takes for each, the range a JSON number must lie in, and float16's bits (JavaScript has no
 * Float16Array, and ONNX Runtime takes float16 data as the raw bits in a Uint16Array). Pure.
 */
import { TENSOR_DTYPES, type TensorDtype } from './manifest.ts';

export type TensorData = Float32Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

export function isTensorDtype(type: string): type is TensorDtype {
  return (TENSOR_DTYPES as readonly string[]).includes(type);
}

/** A zero-filled array for `length` elements of `dtype`, as ONNX Runtime's Tensor takes it. */
export function allocate(dtype: TensorDtype, length: number): TensorData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float16':
      return new Uint16Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'uint8':
    case 'bool':
      return new Uint8Array(length);
  }
}

const INTEGER_RANGES: Partial<Record<TensorDtype, [number, number]>> = {
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int8: [-128, 127],
  uint8: [0, 255],
};

/** What a JSON value of `dtype` must be, for error lines. */
export function expectedValue(dtype: TensorDtype): string {
  if (dtype === 'bool') return 'true, false, 0 or 1';
  const range = INTEGER_RANGES[dtype];
  return range ? `an integer in [${range[0]}, ${range[1]}]` : 'a finite number';
}

/** Writes JSON value `value` at `index`; false when it is not a value of `dtype`. */
export function store(data: TensorData, dtype: TensorDtype, index: number, value: unknown): boolean {
  if (dtype === 'bool') {
    if (value !== true && value !== false && value !== 0 && value !== 1) return false;
    (data as Uint8Array)[index] = value === true || value === 1 ? 1 : 0;
    return true;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const range = INTEGER_RANGES[dtype];
  if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) return false;
  if (dtype === 'int64') (data as BigInt64Array)[index] = BigInt(value);
  else if (dtype === 'float16') (data as Uint16Array)[index] = toHalf(value);
  else (data as Float32Array | Int32Array | Int8Array | Uint8Array)[index] = value;
  return true;
}

/** An output's elements as JSON values: int64 as numbers, float16 decoded, bool as booleans. */
export function jsonValues(dtype: string, data: unknown, from: number, to: number): (number | boolean)[] {
  const values: (number | boolean)[] = new Array<number | boolean>(to - from);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = from; i < to; i++) values[i - from] = Number(data[i]);
  } else if (dtype === 'float16' && data instanceof Uint16Array) {
    for (let i = from; i < to; i++) values[i - from] = fromHalf(data[i] as number);
  } else if (dtype === 'bool' && data instanceof Uint8Array) {
    for (let i = from; i < to; i++) values[i - from] = data[i] === 1;
  } else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const numbers = data as unknown as ArrayLike<number>;
    for (let i = from; i < to; i++) values[i - from] = numbers[i] as number;
  } else {
    throw new TypeError(`cannot read ${dtype} output data as numbers`);
  }
  return values;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, rounding to nearest; beyond ±65504 becomes ±infinity. */
export function toHalf(value: number): number {
  f32[0] = value;
  const bits = u32[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const rawExponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (rawExponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const exponent = rawExponent - 127 + 15;
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    return sign | (((mantissa | 0x800000) >> (1 - exponent)) + 0x1000) >> 13;
  }
  return sign | ((exponent << 10) + ((mantissa + 0x1000) >> 13)); // a rounding carry moves into the exponent, as it should
}

export function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
