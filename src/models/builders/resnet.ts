/**
 * ResNet-50 v1.5 (He et al. 2016; the v1.5 variant strides in the 3×3 conv of each bottleneck, as in
 * torchvision and NVIDIA's reference) for 224×224×3 NHWC images and 1000 ImageNet classes. Batch norm
 * is folded into the conv weights and biases, as in an exported inference graph. The last conv of each
 * bottleneck starts small (like zero-init residual gamma) so the residual stream stays bounded over
 * 16 blocks of random weights, and the fc bias is calibrated (calibrate.ts) so outputs vary by image.
 */
import type { ModelBuilder, BuildContext } from '../builder.ts';
import { calibratedGraph } from '../calibrate.ts';
import { Layers } from '../layers.ts';
import type { Precision } from '../manifest.ts';
import { GraphBuilder } from '../onnx/graph.ts';
import { IMAGE_MODEL_FILE, imageClassifierManifest } from './image-manifest.ts';

const CLASSES = 1000;
/** Bottleneck blocks per stage and their inner widths (outputs are 4× wider). */
const STAGES: [blocks: number, width: number][] = [
  [3, 64],
  [4, 128],
  [6, 256],
  [3, 512],
];
const EXPANSION = 4;
const RESIDUAL_BRANCH_GAIN = 0.2;

/**
 * Whether int8 ResNet uses ConvInteger. Measured with bench/models/run.ts (batch 1, one thread, ORT
 * 1.30 CPU): ConvInteger and fp32 convs ran at the speed of the fp32 model (within noise), but
 * ConvInteger makes the file 4× smaller (25.7 vs 96 MB), at a cost in agreement with fp32 (about
 * 11/16 top-1 vs 16/16). Kept, so that int8 is a real memory/accuracy trade-off for the tuner.
 */
export const RESNET_QUANTIZE_CONV = true;

function bottleneck(nn: Layers, x: string, name: string, inChannels: number, width: number, stride: number): string {
  const g = nn.g;
  const out = width * EXPANSION;
  const a = g.op('Relu', [nn.conv(x, { name: `${name}.conv1`, inChannels, outChannels: width, kernel: 1 })]);
  const b = g.op('Relu', [nn.conv(a, { name: `${name}.conv2`, inChannels: width, outChannels: width, kernel: 3, stride, pad: 1 })]);
  const c = nn.conv(b, { name: `${name}.conv3`, inChannels: width, outChannels: out, kernel: 1, std: RESIDUAL_BRANCH_GAIN * Math.sqrt(2 / width) });
  const needsProjection = stride !== 1 || inChannels !== out;
  const shortcut = needsProjection ? nn.conv(x, { name: `${name}.downsample`, inChannels, outChannels: out, kernel: 1, stride, std: Math.sqrt(1 / inChannels) }) : x;
  return g.op('Relu', [g.op('Add', [c, shortcut])]);
}

function graph(context: BuildContext, precision: Precision): GraphBuilder {
  const g = new GraphBuilder('resnet50');
  const nn = new Layers(g, context.weights, { precision, quantizeConv: context.quantizeConv ?? RESNET_QUANTIZE_CONV });
  const nchw = g.op('Transpose', [g.input('images', 'FLOAT', ['batch', 224, 224, 3])], { perm: [0, 3, 1, 2] });
  const stem = g.op('Relu', [nn.conv(nchw, { name: 'conv1', inChannels: 3, outChannels: 64, kernel: 7, stride: 2, pad: 3 })]);
  let x = g.op('MaxPool', [stem], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  let channels = 64;
  STAGES.forEach(([blocks, width], stage) => {
    for (let block = 0; block < blocks; block++) {
      const stride = block === 0 && stage > 0 ? 2 : 1;
      x = bottleneck(nn, x, `layer${stage + 1}.${block}`, channels, width, stride);
      channels = width * EXPANSION;
    }
  });
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: 1 });
  const logits = nn.linear(pooled, { name: 'fc', inFeatures: channels, outFeatures: CLASSES, std: 0.05 });
  g.output('logits', 'FLOAT', ['batch', CLASSES], logits);
  return g;
}

const manifest = imageClassifierManifest('resnet', [224, 224, 3], CLASSES);

export const resnetBuilder: ModelBuilder = {
  name: 'resnet',
  version: 2,
  files: (context) => [{ fileName: IMAGE_MODEL_FILE, graph: () => calibratedGraph((p) => graph(context, p), context.precision, manifest('fp32'), 'fc.bias') }],
  manifest,
};
