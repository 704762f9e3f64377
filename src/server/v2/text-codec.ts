/**
 * Text inputs shared by the text kinds (classifier-text, translator): either BYTES "text" [N] (tokenized on the
 * server, as V1's {"text"}) or INT64 "input_ids" [N, L] with an optional "attention_mask" [N, L] (positions
 * with mask 0 are padding and dropped, as V1's {"input_ids"} carries no padding). "token_type_ids" may come
 * along for BERT but must be 0 where attended: the server runs single-segment inputs only.
 */
import { fail, succeed, type Outcome } from '../api-error.ts';
import { row, type ReadRequest, type RequestTensor } from './tensors.ts';
import type { InferInputTensor, MetadataTensor } from './types.ts';

export const TEXT = 'text';
export const INPUT_IDS = 'input_ids';
export const ATTENTION_MASK = 'attention_mask';
export const TOKEN_TYPE_IDS = 'token_type_ids';

/** "text" and the graph's token inputs (each INT64 [-1, -1]). */
export function textInputs(tokenInputs: readonly string[]): MetadataTensor[] {
  return [{ name: TEXT, datatype: 'BYTES', shape: [-1] }, ...tokenInputs.map((name): MetadataTensor => ({ name, datatype: 'INT64', shape: [-1, -1] }))];
}

/** V1 text instances, {"text"} or {"input_ids"}, one per row. */
export function textInstances(request: ReadRequest): Outcome<unknown[]> {
  const { inputs, batch } = request;
  const text = inputs.get(TEXT);
  if (text !== undefined) {
    if (inputs.size > 1) return fail('bad_request', `send either "${TEXT}" or "${INPUT_IDS}" (with its mask), not both`);
    return succeed(text.values.map((value) => ({ text: value })));
  }
  const ids = inputs.get(INPUT_IDS);
  if (ids === undefined) return fail('bad_request', `the request needs a "${TEXT}" (BYTES [N]) or an "${INPUT_IDS}" (INT64 [N, L]) input`);
  const mask = inputs.get(ATTENTION_MASK);
  const types = inputs.get(TOKEN_TYPE_IDS);
  for (const companion of [mask, types]) {
    if (companion !== undefined && companion.shape[1] !== ids.shape[1]) {
      return fail('wrong_shape', `${companion.name} [${companion.shape.join(', ')}] must have the shape of ${INPUT_IDS} [${ids.shape.join(', ')}]`);
    }
  }
  if (mask !== undefined && mask.values.some((value) => value !== 0 && value !== 1)) return fail('wrong_type', `${ATTENTION_MASK} must hold only 0 and 1`);
  const instances: unknown[] = [];
  for (let i = 0; i < batch; i++) {
    const attended = attendedPositions(ids, mask, i);
    if (types !== undefined) {
      const typeRow = row(types, i);
      if (attended.some((position) => typeRow[position] !== 0)) {
        return fail('bad_request', `${TOKEN_TYPE_IDS} row ${i} is not all 0: the server runs single-segment inputs only`);
      }
    }
    const idRow = row(ids, i);
    instances.push({ input_ids: attended.map((position) => idRow[position]) });
  }
  return succeed(instances);
}

function attendedPositions(ids: RequestTensor, mask: RequestTensor | undefined, index: number): number[] {
  const length = ids.shape[1]!;
  const maskRow = mask === undefined ? undefined : row(mask, index);
  return Array.from({ length }, (_, position) => position).filter((position) => maskRow === undefined || maskRow[position] === 1);
}

/** All {"text"} → one BYTES "text"; all {"input_ids"} → "input_ids" padded with `padId` and its "attention_mask". */
export function textInputTensors(instances: readonly unknown[], padId: number): InferInputTensor[] {
  const texts = instances.map((instance) => field(instance, TEXT));
  if (texts.every((text) => typeof text === 'string')) return [{ name: TEXT, datatype: 'BYTES', shape: [instances.length], data: texts }];
  const rows = instances.map((instance) => field(instance, INPUT_IDS));
  if (!rows.every((ids): ids is number[] => Array.isArray(ids))) {
    throw new Error('text instances of one V2 request must all be {"text"} or all {"input_ids"}');
  }
  const width = rows.reduce((longest, ids) => Math.max(longest, ids.length), 0);
  const pad = (values: number[], fill: number) => [...values, ...Array<number>(width - values.length).fill(fill)];
  return [
    { name: INPUT_IDS, datatype: 'INT64', shape: [rows.length, width], data: rows.flatMap((ids) => pad(ids, padId)) },
    { name: ATTENTION_MASK, datatype: 'INT64', shape: [rows.length, width], data: rows.flatMap((ids) => pad(ids.map(() => 1), 0)) },
  ];
}

function field(instance: unknown, name: string): unknown {
  return typeof instance === 'object' && instance !== null ? (instance as Record<string, unknown>)[name] : undefined;
}
