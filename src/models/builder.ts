/** What every built-in model builder provides. */
import type { ModelManifest, Precision } from './manifest.ts';
import type { GraphBuilder } from './onnx/graph.ts';
import type { WeightSource } from './weights.ts';

export const BUILTIN_MODELS = ['marian', 'resnet', 'bert', 'gan', 'ocr'] as const;
export type BuiltinModel = (typeof BUILTIN_MODELS)[number];

/** The built-ins whose weights are seeded random numbers; ocr has real (PaddleOCR) weights. */
export const SYNTHETIC_MODELS = ['marian', 'resnet', 'bert', 'gan'] as const satisfies readonly BuiltinModel[];
export type SyntheticModel = (typeof SYNTHETIC_MODELS)[number];

export const SYNTHETIC_NOTE =
  'Built-in models marian, resnet, bert and gan have synthetic, seeded weights: latency and memory are realistic, outputs are meaningless. ocr has real weights (PaddleOCR PP-OCRv4).';

export function isBuiltinModel(name: string): name is BuiltinModel {
  return (BUILTIN_MODELS as readonly string[]).includes(name);
}

export interface BuildContext {
  precision: Precision;
  weights: WeightSource;
  /** Overrides the builder's choice of ConvInteger for int8 convolutions (for measuring both). */
  quantizeConv?: boolean;
}

/** One .onnx file of a model; its graph is made on demand so large files are built one at a time. */
export interface ModelFile {
  fileName: string;
  graph: () => GraphBuilder | Promise<GraphBuilder>;
}

/** A file taken from a package of real weights (copied, or derived from it, e.g. quantized) rather than built from a graph. */
export interface PackagedFile {
  fileName: string;
  write: (path: string) => Promise<void>;
}

export interface ModelBuilder {
  name: BuiltinModel;
  /** Bump whenever the graph or the weights drawn change: cached builds with another version are rebuilt. */
  version: number;
  files(context: BuildContext): ModelFile[];
  packaged?(context: BuildContext): PackagedFile[];
  manifest(precision: Precision): ModelManifest;
}
