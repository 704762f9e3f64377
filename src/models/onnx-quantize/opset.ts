/**
 * DynamicQuantizeLinear needs opset 11 of the default domain. onnxruntime's quantizer just rewrites an
 * older import to 11, which leaves nodes whose signature changed in 10 or 11 invalid (PaddleOCR's opset 9
 * exports have Clip with min/max attributes and Slice with starts/ends attributes, which opset 11 takes
 * as inputs). This moves those nodes to their opset-11 form, as onnx's version converter does, so the
 * model means the same thing after the import is raised. Every other default-domain operator of opsets
 * 7–10 kept its meaning in 11 (new optional attributes and inputs, negative axes allowed).
 */
import { modelError, type ModelError } from '../model-error.ts';
import { allNodes, type NameScope } from './graph-walk.ts';
import { int64ToNumber, type AttributeMsg, type GraphMsg, type ModelMsg, type NodeMsg, type TensorMsg } from './onnx-proto.ts';
import { floatScalar, int64Tensor } from './tensors.ts';

export const QUANTIZE_OPSET = 11;
/** The IR version that goes with opset 11. */
const IR_FOR_OPSET_11 = 6;

/** Operators that have no opset-11 equivalent this converter writes (resampling semantics changed). */
const UNCONVERTED = new Set(['Upsample', 'Resize']);

export function defaultOpset(model: ModelMsg): number | undefined {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? int64ToNumber(entry.version) : undefined;
}

/**
 * Raises the default-domain import to 11 (adding it if absent), converting the nodes that need it; new
 * constants go to the main graph's initializers (subgraphs see them through the outer scope).
 */
export function raiseOpset(model: ModelMsg, names: NameScope): { ok: true } | { ok: false; error: ModelError } {
  const from = defaultOpset(model);
  if (from !== undefined && from >= QUANTIZE_OPSET) return { ok: true };
  const graph = model.graph as GraphMsg;
  const nodes = allNodes(graph).filter((n) => !n.domain || n.domain === 'ai.onnx');
  const stuck = nodes.find((n) => UNCONVERTED.has(n.opType ?? ''));
  if (stuck && from !== undefined) {
    return {
      ok: false,
      error: modelError(
        'model-mismatch',
        `the model imports opset ${from} and has a ${stuck.opType} node, which cannot be moved to opset ${QUANTIZE_OPSET} (needed by DynamicQuantizeLinear); export it at opset ${QUANTIZE_OPSET} or later`,
      ),
    };
  }
  const added: TensorMsg[] = [];
  const constant = (tensor: (name: string) => TensorMsg, base: string): string => {
    const t = tensor(names.fresh(base));
    added.push(t);
    return t.name as string;
  };
  for (const node of nodes) convertNode(node, from ?? QUANTIZE_OPSET, constant);
  graph.initializer = [...(graph.initializer ?? []), ...added];
  model.opsetImport = [...(model.opsetImport ?? []).filter((o) => o.domain && o.domain !== 'ai.onnx'), { domain: '', version: QUANTIZE_OPSET }];
  if (int64ToNumber(model.irVersion) < IR_FOR_OPSET_11) model.irVersion = IR_FOR_OPSET_11;
  return { ok: true };
}

type Constant = (tensor: (name: string) => TensorMsg, base: string) => string;

function convertNode(node: NodeMsg, from: number, constant: Constant): void {
  const op = node.opType;
  const base = node.name || node.output?.[0] || op || 'node';
  if (from < 10 && op === 'Slice') {
    // Slice-1 attributes starts/ends/axes → Slice-10 inputs.
    const starts = takeAttr(node, 'starts')?.ints ?? [];
    const ends = takeAttr(node, 'ends')?.ints ?? [];
    const axes = takeAttr(node, 'axes')?.ints;
    const inputs = [constant((n) => int64Tensor(n, starts), `${base}_starts`), constant((n) => int64Tensor(n, ends), `${base}_ends`)];
    if (axes) inputs.push(constant((n) => int64Tensor(n, axes), `${base}_axes`));
    node.input = [node.input?.[0] ?? '', ...inputs];
  } else if (from < 10 && op === 'TopK') {
    const k = takeAttr(node, 'k')?.i ?? 0;
    node.input = [node.input?.[0] ?? '', constant((n) => int64Tensor(n, [k]), `${base}_k`)];
  } else if (op === 'Clip') {
    // Clip-6 attributes min/max (float) → Clip-11 optional inputs.
    const min = takeAttr(node, 'min');
    const max = takeAttr(node, 'max');
    const inputs = [node.input?.[0] ?? ''];
    if (min || max) inputs.push(min ? constant((n) => floatScalar(n, min.f ?? 0), `${base}_min`) : '');
    if (max) inputs.push(constant((n) => floatScalar(n, max.f ?? 0), `${base}_max`));
    node.input = inputs;
  } else if (op === 'Pad') {
    // Pad-2 attributes pads/value → Pad-11 inputs; mode stays an attribute.
    const pads = takeAttr(node, 'pads')?.ints ?? [];
    const value = takeAttr(node, 'value');
    const inputs = [node.input?.[0] ?? '', constant((n) => int64Tensor(n, pads), `${base}_pads`)];
    if (value) inputs.push(constant((n) => floatScalar(n, value.f ?? 0), `${base}_value`));
    node.input = inputs;
  } else if (op === 'Scatter') {
    node.opType = 'ScatterElements'; // same semantics; Scatter is deprecated from 11
  }
}

/** Removes and returns the named attribute (only those that opset 11 turned into inputs). */
function takeAttr(node: NodeMsg, name: string): AttributeMsg | undefined {
  const attrs = node.attribute ?? [];
  const found = attrs.find((a) => a.name === name);
  if (found) node.attribute = attrs.filter((a) => a !== found);
  return found;
}
