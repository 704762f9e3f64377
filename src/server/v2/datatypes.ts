/** The tensor kind's ONNX element types as V2 datatypes. */
import type { TensorDtype } from '../../models/manifest.ts';
import type { V2Datatype } from './types.ts';

export const V2_DATATYPE_OF = {
  float32: 'FP32',
  float16: 'FP16',
  int64: 'INT64',
  int32: 'INT32',
  int8: 'INT8',
  uint8: 'UINT8',
  bool: 'BOOL',
} as const satisfies Record<TensorDtype, V2Datatype>;

