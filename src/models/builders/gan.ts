/**
 * Semi-supervised GAN discriminator for SVHN (32×32×3), the convolutional discriminator of Salimans et
 * al., "Improved Techniques for Training GANs" (2016): 3×3 convs 96-96-96/2-192-192-192/2, a valid 3×3
 * conv and two 1×1 convs at 192, global average pooling and a dense layer. At inference the input
 * noise and dropout are gone and weight normalization is folded into the conv weights. Output: logits
 * for the 10 digits plus "fake"; the dense bias is calibrated (calibrate.ts) so outputs vary by image.
 */
import type { ModelBuilder, BuildContext } from '../builder.ts';
import type { Precision } from '../manifest.ts';
import { calibratedGraph } from '../calibrate.ts';
import { Layers } from '../layers.ts';
import { GraphBuilder } from '../onnx/graph.ts';
import { IMAGE_MODEL_FILE, imageClassifierManifest } from './image-manifest.ts';

const CLASSES = 11;
/** Whether int8 GAN uses ConvInteger: no slower than fp32 convs at batch 1 (bench/models/run.ts) and 4× smaller. */
export const GAN_QUANTIZE_CONV = true;

/** [out channels, kernel, stride, pad] of each conv, in order. */
const CONVS: [number, number, number, number][] = [
  [96, 3, 1, 1],
  [96, 3, 1, 1],
  [96, 3, 2, 1],
  [192, 3, 1, 1],
  [192, 3, 1, 1],
  [192, 3, 2, 1],
  [192, 3, 1, 0],
  [192, 1, 1, 0],
  [192, 1, 1, 0],
];

function graph(context: BuildContext, precision: Precision): GraphBuilder {
  const g = new GraphBuilder('gan_discriminator');
  const nn = new Layers(g, context.weights, { precision, quantizeConv: context.quantizeConv ?? GAN_QUANTIZE_CONV });
  let x = g.op('Transpose', [g.input('images', 'FLOAT', ['batch', 32, 32, 3])], { perm: [0, 3, 1, 2] });
  let channels = 3;
  CONVS.forEach(([out, kernel, stride, pad], i) => {
    x = nn.leakyRelu(nn.conv(x, { name: `conv${i}`, inChannels: channels, outChannels: out, kernel, stride, pad }));
    channels = out;
  });
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: 1 });
  const logits = nn.linear(pooled, { name: 'dense', inFeatures: channels, outFeatures: CLASSES, std: 0.1 });
  g.output('logits', 'FLOAT', ['batch', CLASSES], logits);
  return g;
}

const manifest = imageClassifierManifest('gan', [32, 32, 3], CLASSES);

export const ganBuilder: ModelBuilder = {
  name: 'gan',
  version: 2,
  files: (context) => [{ fileName: IMAGE_MODEL_FILE, graph: () => calibratedGraph((p) => graph(context, p), context.precision, manifest('fp32'), 'dense.bias') }],
  manifest,
};
