/**
 * fast-check generators of search-space files: documents near the valid format (so deep checks run) with
 * wrong kinds, bounds, types, unknown keys, huge and non-finite numbers and hostile strings mixed in, then
 * written out in a correct or a broken encoding.
 */
import fc from 'fast-check';

/** Stands for a number JSON.stringify cannot write (1e999 parses to Infinity); swapped in after stringify. */
const HUGE = '__fuzz_huge__';

const hostileString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', 'a\nb', 'x\r\ny', '\u2028', 'NaN', 'Infinity', '-Infinity', '1e999', '0x10', '__proto__', 'constructor'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const weirdNumber = fc.oneof(
  fc.integer({ min: -10, max: 100 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 31), 0.1, 0.3),
  fc.constant(HUGE),
);

const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: weirdNumber },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const parameterName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('replicas', 'cpus', 'memory_mb', 'threads', 'a', 'b_2', 'precision') },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
);

const kindName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('int', 'float', 'pow2', 'categorical') },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, 3, ['int']) },
);

const choices = fc.oneof(
  fc.array(fc.constantFrom('fp32', 'int8', 'x', 'a\nb', ''), { maxLength: 4 }),
  weirdValue,
);

const parameter = fc.record(
  {
    name: parameterName,
    kind: kindName,
    low: weirdValue,
    high: weirdValue,
    step: weirdValue,
    log: fc.oneof(fc.boolean(), weirdValue),
    choices,
    default: weirdValue,
    description: hostileString,
    [`unknown`]: weirdValue,
  },
  { requiredKeys: ['name', 'kind'] },
);

const CONSTRAINT_TOKENS = ['a', 'cpus', 'replicas', 'threads', 'host_cores', 'nope', '1', '0.5', '1e999', '+', '-', '*', '/', '(', ')', ',', '<=', '<', '==', '!=', '>', 'ceil', 'min', 'max', '#', '\n'];

const constraint = fc.oneof(
  fc.array(fc.constantFrom(...CONSTRAINT_TOKENS), { minLength: 1, maxLength: 9 }).map((tokens) => tokens.join(' ')),
  fc.constantFrom('replicas * cpus <= host_cores', 'threads <= ceil(cpus)', 'a >= 1', 'cpus < 0'),
  fc.integer({ min: 1, max: 5000 }).map((depth) => `${'('.repeat(depth)}cpus${')'.repeat(depth)} <= 2`),
  weirdValue,
);

const nearValidDocument = fc.record(
  {
    $schema: hostileString,
    description: fc.oneof(hostileString, weirdValue),
    parameters: fc.oneof({ weight: 9, arbitrary: fc.array(fc.oneof({ weight: 9, arbitrary: parameter }, { weight: 1, arbitrary: weirdValue }), { maxLength: 5 }) }, { weight: 1, arbitrary: weirdValue }),
    constraints: fc.oneof(fc.array(constraint, { maxLength: 3 }), weirdValue),
    extra: weirdValue,
  },
  { requiredKeys: ['parameters'] },
);

/** Nesting far beyond any real file, inside "parameters" or at the top; written out only when used, so a failing case prints small. */
export interface Nesting {
  depth: number;
  open: '[' | '{"k":';
  insideParameters: boolean;
}

const deeplyNested: fc.Arbitrary<Nesting> = fc.record({
  depth: fc.integer({ min: 100, max: 20_000 }),
  open: fc.constantFrom<Nesting['open']>('[', '{"k":'),
  insideParameters: fc.boolean(),
});

function nestedText({ depth, open, insideParameters }: Nesting): string {
  const close = open === '[' ? ']' : '}';
  const nest = `${open.repeat(depth)}1${close.repeat(depth)}`;
  return insideParameters ? `{"parameters": [${nest}]}` : nest;
}

/** The text of a search-space file: mostly near-valid documents, some arbitrary JSON, some not JSON at all. */
export function spaceDocumentText(): fc.Arbitrary<string | Nesting> {
  return fc.oneof(
    { weight: 12, arbitrary: nearValidDocument.map((doc) => JSON.stringify(doc).replaceAll(`"${HUGE}"`, '1e999')) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', '   \n', '{', '{"parameters": [', 'null', '[]', '"x"'), fc.string({ maxLength: 40 })) },
  );
}

/** How the text is written: UTF-8 (most often), with a BOM, as UTF-16 with a BOM, truncated, or with a stray byte. */
export type Encoding =
  | { kind: 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be' }
  | { kind: 'truncated'; at: number }
  | { kind: 'stray-byte'; at: number; byte: number };

export function encoding(): fc.Arbitrary<Encoding> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant<Encoding>({ kind: 'utf8' }) },
    { weight: 1, arbitrary: fc.constantFrom<Encoding>({ kind: 'utf8-bom' }, { kind: 'utf16le' }, { kind: 'utf16be' }) },
    { weight: 1, arbitrary: fc.nat().map((at): Encoding => ({ kind: 'truncated', at })) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(0x80, 0xc0, 0xc3, 0xe2, 0xed, 0xf5, 0xff, 0x00)).map(([at, byte]): Encoding => ({ kind: 'stray-byte', at, byte })) },
  );
}

export function encode(source: string | Nesting, how: Encoding): Uint8Array {
  const text = typeof source === 'string' ? source : nestedText(source);
  const utf8 = new TextEncoder().encode(text);
  switch (how.kind) {
    case 'utf8':
      return utf8;
    case 'utf8-bom':
      return Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]);
    case 'utf16le':
    case 'utf16be':
      return utf16(text, how.kind === 'utf16le');
    case 'truncated':
      return utf8.subarray(0, how.at % (utf8.length + 1));
    case 'stray-byte': {
      const at = how.at % (utf8.length + 1);
      return Uint8Array.from([...utf8.subarray(0, at), how.byte, ...utf8.subarray(at)]);
    }
  }
}

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
  return bytes;
}
