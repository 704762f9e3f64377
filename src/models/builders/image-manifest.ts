/** What the built-in image classifiers (resnet, gan) share: one model.onnx, NHWC float images in, logits out. */
import type { ClassifierImageManifest, Precision } from '../manifest.ts';

export const IMAGE_MODEL_FILE = 'model.onnx';

export function imageClassifierManifest(name: string, instanceShape: [number, number, number], classes: number): (precision: Precision) => ClassifierImageManifest {
  return (precision) => ({
    kind: 'classifier-image',
    name,
    precision,
    synthetic: true,
    file: IMAGE_MODEL_FILE,
    inputName: 'images',
    outputName: 'logits',
    instanceShape,
    classes,
  });
}
