/**
 * The text-recognition kind (ocr): UINT8 "image" [N, H, W, 3] RGB 0–255 in (every row of one request shares H
 * and W; V1's {"image"} instances need not), BYTES "text" [N] and FP32 "confidence" [N] out (V1's prediction).
 */
import type { TextRecognitionManifest } from '../../models/manifest.ts';
import { fail, succeed } from '../api-error.ts';
import type { KindCodec } from './kind-codec.ts';
import { nest, row, stack } from './tensors.ts';

export const IMAGE = 'image';
export const TEXT = 'text';
export const CONFIDENCE = 'confidence';

interface Recognition {
  text: string;
  confidence: number;
}

export function textRecognitionCodec(_manifest: TextRecognitionManifest): KindCodec {
  return {
    inputs: [{ name: IMAGE, datatype: 'UINT8', shape: [-1, -1, -1, 3] }],
    outputs: [
      { name: TEXT, datatype: 'BYTES', shape: [-1] },
      { name: CONFIDENCE, datatype: 'FP32', shape: [-1] },
    ],
    instances: (request) => {
      const images = request.inputs.get(IMAGE);
      if (images === undefined) return fail('bad_request', `the request needs the input "${IMAGE}" (UINT8 [N, H, W, 3])`);
      return succeed(Array.from({ length: request.batch }, (_, i) => ({ image: nest(row(images, i), images.shape.slice(1)) })));
    },
    outputTensors: (predictions) => {
      const rows = predictions as readonly Recognition[];
      return succeed([
        { name: TEXT, datatype: 'BYTES', shape: [rows.length], data: rows.map((r) => r.text) },
        { name: CONFIDENCE, datatype: 'FP32', shape: [rows.length], data: rows.map((r) => r.confidence) },
      ]);
    },
    inputTensors: (instances) => {
      const tensor = stack(IMAGE, 'UINT8', instances.map((instance) => (instance as { image: unknown }).image));
      if (tensor === undefined) throw new Error('ocr images of one V2 request must share their height and width');
      return [{ ...tensor }];
    },
  };
}
