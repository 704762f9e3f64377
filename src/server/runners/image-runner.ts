/** classifier-image (resnet, gan): NHWC float32 [batch, H, W, C] in, [batch, classes] scores out. */
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type { ClassifierImageManifest } from '../../models/manifest.ts';
import { classifications, type Classification } from './classification.ts';
import type { BatchRunner } from './runner.ts';

export class ImageRunner implements BatchRunner<Float32Array> {
  constructor(
    private readonly manifest: ClassifierImageManifest,
    private readonly session: InferenceSession,
  ) {}

  async run(batch: Float32Array[]): Promise<Classification[]> {
    const [h, w, c] = this.manifest.instanceShape;
    const size = h * w * c;
    const input = new Float32Array(batch.length * size);
    batch.forEach((image, i) => input.set(image, i * size));
    const feeds = { [this.manifest.inputName]: new Tensor('float32', input, [batch.length, h, w, c]) };
    const outputs = await this.session.run(feeds);
    return classifications(outputs[this.manifest.outputName]!, batch.length);
  }

  close(): Promise<void> {
    return this.session.release();
  }
}
