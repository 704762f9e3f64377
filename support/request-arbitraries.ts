/**
 * fast-check generators of malformed requests to the gan replica: wrong method, path, media type, broken
 * or oversized or hostile bodies, and well-formed JSON whose instances have the wrong shape or types.
 * None of them is a valid prediction request, so each must be refused with a 4xx.
 */
import fc from 'fast-check';

export const GAN_SHAPE = [32, 32, 3] as const;
const PIXELS = GAN_SHAPE[0] * GAN_SHAPE[1] * GAN_SHAPE[2];
const PREDICT = '/v1/models/gan:predict';

export interface MalformedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Uint8Array | undefined;
  /** What is wrong with it, for the failure message. */
  flaw: string;
}

export function flatImage(seed: number): number[] {
  return Array.from({ length: PIXELS }, (_, i) => ((i * 31 + seed * 17) % 101) / 100);
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const validBody = JSON.stringify({ instances: [flatImage(1)] });

const badValue = fc.oneof(fc.constantFrom(null, 'NaN', '0.5', true, {}, [], [0.5], 'Infinity'), fc.string({ maxLength: 4 }));

/** One image-like instance that is not a [32][32][3] or 3072-number image. */
const wrongInstance: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 64 }),
  fc.integer({ min: 1, max: 3100 }).filter((n) => n !== PIXELS).map((n) => new Array<number>(n).fill(0.5)),
  fc.tuple(fc.nat(PIXELS - 1), badValue).map(([at, value]) => flatImage(2).map((v, i) => (i === at ? value : v))),
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }))
    .filter(([h, w, c]) => h !== 32 || w !== 32 || c !== 3)
    .map(([h, w, c]) => Array.from({ length: h }, () => Array.from({ length: w }, () => new Array<number>(c).fill(0.1)))),
  fc.tuple(fc.nat(31), fc.nat(31), badValue).map(([y, x, value]) =>
    Array.from({ length: 32 }, (_, i) => Array.from({ length: 32 }, (_, j) => (i === y && j === x ? value : [0.1, 0.2, 0.3]))),
  ),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => !Array.isArray(v)),
  fc.record({ text: fc.string(), input_ids: fc.array(fc.integer()) }, { requiredKeys: [] }),
);

const wrongDocument: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(wrongInstance, { minLength: 1, maxLength: 3 }).map((instances) => ({ instances })),
  wrongInstance.map((bad) => ({ instances: [flatImage(3), bad] })),
  fc.constantFrom({}, { instances: [] }, { instances: {} }, { instances: 'x' }, { instance: [flatImage(4)] }, [], null, 7, 'instances'),
  fc.jsonValue({ maxDepth: 4 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('instances' in v)),
);

const malformedBody: fc.Arbitrary<[string, Uint8Array]> = fc.oneof(
  { weight: 6, arbitrary: wrongDocument.map((doc): [string, Uint8Array] => ['wrong instances', encode(JSON.stringify(doc))]) },
  { weight: 3, arbitrary: fc.nat(validBody.length - 1).map((cut): [string, Uint8Array] => ['truncated JSON', encode(validBody.slice(0, cut))]) },
  { weight: 1, arbitrary: fc.integer({ min: 33, max: 50_000 }).map((d): [string, Uint8Array] => ['deeply nested', encode(`{"instances": ${'['.repeat(d)}${']'.repeat(d)}}`)]) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(validBody.length), fc.constantFrom(0x80, 0xc3, 0xed, 0xff)).map(([at, byte]): [string, Uint8Array] => {
    const bytes = encode(validBody);
    return ['invalid UTF-8', Uint8Array.from([...bytes.subarray(0, at), byte, ...bytes.subarray(at)])];
  }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes): [string, Uint8Array] => ['random bytes', bytes]) },
  { weight: 1, arbitrary: fc.constantFrom<[string, Uint8Array]>(['empty body', new Uint8Array(0)], ['UTF-16 body', Uint8Array.from([0xff, 0xfe, ...Buffer.from(validBody, 'utf16le')])]) },
);

/** Bodies past the 200,000-byte limit, rarely: building them costs more than the rest. */
const hugeBody = fc.integer({ min: 200_001, max: 400_000 }).map((size): [string, Uint8Array] => ['oversized body', new Uint8Array(size).fill(0x20)]);

const postToPredict = fc
  .tuple(fc.oneof({ weight: 40, arbitrary: malformedBody }, { weight: 1, arbitrary: hugeBody }), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'))
  .map(([[flaw, body], contentType]): MalformedRequest => ({ method: 'POST', path: PREDICT, contentType, body, flaw }));

const wrongMediaType = fc
  .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', '', ';', 'application/json+x')
  .map((contentType): MalformedRequest => ({ method: 'POST', path: PREDICT, contentType, body: encode(validBody), flaw: `content-type ${contentType}` }));

const wrongMethod = fc
  .constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')
  .map((method): MalformedRequest => ({ method, path: PREDICT, contentType: 'application/json', body: method === 'GET' || method === 'HEAD' ? undefined : encode(validBody), flaw: `method ${method}` }));

const wrongPath = fc
  .oneof(
    fc.string({ maxLength: 12 }).map((name) => `/v1/models/${encodeURIComponent(name)}:predict`),
    fc.constantFrom('/v1/models/gan:explain', '/v1/models/gan:', '/v1/models/%E0%A4%A:predict', '/v1/models/GAN:predict', '/v1/models/gan%3Apredict2', '/predict', '/v1/models/', '/v2/models/gan:predict'),
  )
  .filter((path) => path !== PREDICT)
  .map((path): MalformedRequest => ({ method: 'POST', path, contentType: 'application/json', body: encode(validBody), flaw: `path ${path}` }));

export function malformedRequest(): fc.Arbitrary<MalformedRequest> {
  return fc.oneof({ weight: 12, arbitrary: postToPredict }, { weight: 1, arbitrary: wrongMediaType }, { weight: 1, arbitrary: wrongMethod }, { weight: 2, arbitrary: wrongPath });
}

export function toRequest(spec: MalformedRequest): Request {
  const headers: Record<string, string> = spec.contentType === undefined ? {} : { 'content-type': spec.contentType };
  const init: RequestInit = { method: spec.method, headers };
  if (spec.body) init.body = spec.body as Uint8Array<ArrayBuffer>;
  return new Request(`http://replica${spec.path}`, init);
}

export function validRequest(seed: number): Request {
  return new Request(`http://replica${PREDICT}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: [flatImage(seed)] }) });
}
