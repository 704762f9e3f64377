/**
 * A user's own workload: a JSON-lines file, blank lines ignored. Each line is one V1 instance (what goes in
 * "instances"), or one V2 request's inputs, {"inputs": [{"name", "shape", "datatype", "data"}, ...]}, which stands
 * for as many instances as its tensors' first dim (decoded by the model's V2 codec). Recorded traffic is replayed
 * in the file's order, and is checked against the model with the server's own parser before anything runs.
 */
import { createHash } from 'node:crypto';
import { nestedShape, type SampleShapes } from '../../models/tensor-spec.ts';

export type WorkloadErrorCode = 'workload_unreadable' | 'workload_empty' | 'workload_bad_line' | 'workload_mismatch' | 'unknown_model';

export interface WorkloadError {
  code: WorkloadErrorCode;
  message: string;
}

export type InstancesOutcome = { ok: true; instances: string[] } | { ok: false; error: WorkloadError };

/** One non-blank line of a workload file, parsed, with its 1-based line number. */
export interface RecordedLine {
  line: number;
  value: unknown;
}

/** A workload file read whole: its lines and the sha256 of its bytes (a study records both the path and this). */
export interface RecordedWorkload {
  file: string;
  sha256: string;
  lines: RecordedLine[];
}

export type RecordedOutcome = { ok: true; workload: RecordedWorkload } | { ok: false; error: WorkloadError };

/** One V2 input tensor of a recorded request, as far as the shapes are concerned. */
interface V2Input {
  name: string;
  shape: number[];
}

const FIX = 'write one JSON instance per line, e.g. {"text": "..."}, or one V2 request\'s {"inputs": [...]}';

export function readWorkloadFile(path: string, readText: (path: string) => string): InstancesOutcome {
  const text = readWhole(path, readText);
  if (!text.ok) return text;
  return parseWorkloadLines(text.text, path);
}

/** Each instance is re-serialised from its parsed value, so what is sent is known to be valid JSON. */
export function parseWorkloadLines(text: string, source: string): InstancesOutcome {
  const parsed = parseRecordedLines(text, source);
  return parsed.ok ? { ok: true, instances: parsed.lines.map((line) => JSON.stringify(line.value)) } : parsed;
}

export function readRecordedWorkload(path: string, readBytes: (path: string) => Uint8Array): RecordedOutcome {
  let bytes: Uint8Array;
  try {
    bytes = readBytes(path);
  } catch (error) {
    return unreadable(path, error);
  }
  const parsed = parseRecordedLines(new TextDecoder().decode(bytes), path);
  if (!parsed.ok) return parsed;
  return { ok: true, workload: { file: path, sha256: createHash('sha256').update(bytes).digest('hex'), lines: parsed.lines } };
}

export function parseRecordedLines(text: string, source: string): { ok: true; lines: RecordedLine[] } | { ok: false; error: WorkloadError } {
  const lines: RecordedLine[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    try {
      lines.push({ line: index + 1, value: JSON.parse(line) as unknown });
    } catch {
      const message = `workload file ${source} line ${index + 1} is not valid JSON: ${FIX}`;
      return { ok: false, error: { code: 'workload_bad_line', message } };
    }
  }
  if (lines.length === 0) {
    return { ok: false, error: { code: 'workload_empty', message: `workload file ${source} has no instances: ${FIX}` } };
  }
  return { ok: true, lines };
}

/** A line holding a V2 request's inputs rather than one V1 instance. */
export function isV2Line(value: unknown): value is { inputs: V2Input[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const inputs = (value as Record<string, unknown>).inputs;
  return Array.isArray(inputs) && inputs.length > 0 && inputs.every((input) => typeof input === 'object' && input !== null && 'name' in input && 'data' in input);
}

/**
 * The item shapes each recorded line shows, by input name: a V2 tensor's shape without its first dim, a V1
 * instance's nested arrays as deep as they go. What fixes a tensor model's dynamic dims when no --input-shape does.
 */
export function sampleShapes(lines: readonly RecordedLine[]): SampleShapes[] {
  return lines.flatMap(({ value }) => {
    if (isV2Line(value)) {
      const shapes = value.inputs.filter((input) => Array.isArray(input.shape)).map((input) => [String(input.name), input.shape.slice(1).map(Number)]);
      return [Object.fromEntries(shapes) as SampleShapes];
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    return [Object.fromEntries(Object.entries(value).map(([name, field]) => [name, nestedShape(field)]))];
  });
}

/** Checks one instance as the server would; an error message names what is wrong with it. */
export type CheckInstance = (instance: unknown) => { ok: true } | { ok: false; error: { message: string } };
/** A V2 line's inputs → the model's V1 instances, or why they are not the model's. */
export type DecodeV2 = (body: unknown) => { ok: true; value: unknown[] } | { ok: false; error: { message: string } };

/** Every line as the instances it stands for, in the file's order, each checked; the first problem names its line. */
export function recordedInstances(workload: RecordedWorkload, decode: DecodeV2, check: CheckInstance): InstancesOutcome {
  const instances: string[] = [];
  for (const { line, value } of workload.lines) {
    const decoded = isV2Line(value) ? decode(value) : { ok: true as const, value: [value] };
    if (!decoded.ok) return mismatch(workload.file, line, decoded.error.message);
    for (const instance of decoded.value) {
      const checked = check(instance);
      if (!checked.ok) return mismatch(workload.file, line, checked.error.message);
      instances.push(JSON.stringify(instance));
    }
  }
  return { ok: true, instances };
}

function mismatch(file: string, line: number, problem: string): { ok: false; error: WorkloadError } {
  return { ok: false, error: { code: 'workload_mismatch', message: `workload file ${file} line ${line}: ${problem}` } };
}

function readWhole(path: string, readText: (path: string) => string): { ok: true; text: string } | { ok: false; error: WorkloadError } {
  try {
    return { ok: true, text: readText(path) };
  } catch (error) {
    return unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): { ok: false; error: WorkloadError } {
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: 'workload_unreadable', message: `cannot read workload file ${path}: ${reason}` } };
}
