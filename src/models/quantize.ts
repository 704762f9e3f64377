/**
 * Weight quantization as onnxruntime's quantize_dynamic does it: int8 symmetric per tensor (scale =
 * max|w| / 127, zero point 0) for MatMul weights; uint8 asymmetric for ConvInteger, whose CPU kernel
 * only takes uint8 weights.
 */

export interface QuantizedInt8 {
  data: Int8Array;
  scale: number;
}

export interface QuantizedUint8 {
  data: Uint8Array;
  scale: number;
  zeroPoint: number;
}

export function quantizeSymmetricInt8(weights: Float32Array): QuantizedInt8 {
  let maxAbs = 0;
  for (const w of weights) maxAbs = Math.max(maxAbs, Math.abs(w));
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const data = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) data[i] = Math.max(-127, Math.min(127, Math.round((weights[i] as number) / scale)));
  return { data, scale };
}

export function quantizeAsymmetricUint8(weights: Float32Array): QuantizedUint8 {
  let min = 0;
  let max = 0; // the range must include 0 so that zero is exact
  for (const w of weights) {
    min = Math.min(min, w);
    max = Math.max(max, w);
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-min / scale)));
  const data = new Uint8Array(weights.length);
  for (let i = 0; i < weights.length; i++) data[i] = Math.max(0, Math.min(255, Math.round((weights[i] as number) / scale) + zeroPoint));
  return { data, scale, zeroPoint };
}
