/**
 * The V2 (Open Inference Protocol) routes, beside V1's on the same listener and over the same model host:
 * health, server and model metadata, model readiness and inference. Inference decodes the request into the
 * kind's V1 instances (codec.ts) and submits them to the same batcher V1 uses. Refusals are V2's
 * {"error": "<one line>"} with the status of the error code (api-error.ts).
 */
import type { ModelManifest } from '../../models/manifest.ts';
import { ERROR_STATUS, jsonResponse, type ApiError } from '../api-error.ts';
import { readJsonBody } from '../json-body.ts';
import type { ModelHost } from '../model-host.ts';
import { ROUTES } from '../protocol.ts';
import { decodeSafely, methodNotAllowed as refuseMethod, notReady, onlyGet as getOnly } from '../routing.ts';
import { encodeInferResponse, modelMetadata, readInferRequest } from './codec.ts';
import { V2_MODEL_VERSION, type V2ErrorBody } from './types.ts';

export interface V2Deps {
  host: ModelHost;
  /** The served model's manifest, once read (undefined before, or when it could not be read). */
  manifest: () => ModelManifest | undefined;
  maxBodyBytes: number;
}

export const V2_PREFIX = '/v2';
const MODELS_PREFIX = '/v2/models/';

/** GET /v2: server metadata (no protocol extensions: JSON tensors only). */
const SERVER_METADATA = { name: 'tune-model-server', version: '2', extensions: [] as string[] };

export function v2Route(request: Request, path: string, deps: V2Deps): Promise<Response> | Response {
  if (path === V2_PREFIX) return onlyGet(request, () => jsonResponse(200, SERVER_METADATA));
  if (path === ROUTES.v2.live) return onlyGet(request, () => jsonResponse(200, { live: true }));
  if (path === ROUTES.v2.ready) return onlyGet(request, () => readiness(deps.host, () => ({ ready: true })));
  if (path.startsWith(MODELS_PREFIX)) return modelRoute(request, path.slice(MODELS_PREFIX.length), deps);
  return v2Error({ code: 'not_found', message: `no route ${path}: see ${ROUTES.v2.infer('<name>')}` });
}

/** <name>[/versions/<version>][/ready | /infer] */
function modelRoute(request: Request, rest: string, deps: V2Deps): Promise<Response> | Response {
  const parts = rest.split('/').map(decodeSafely);
  const name = parts.shift() ?? '';
  if (name !== deps.host.name) {
    return v2Error({ code: 'unknown_model', message: `model ${JSON.stringify(name)} is not served here: use ${deps.host.name}` });
  }
  if (parts[0] === 'versions') {
    const version = parts[1];
    if (version !== V2_MODEL_VERSION) return v2Error({ code: 'not_found', message: `model ${name} has no version ${JSON.stringify(version ?? '')}: use ${V2_MODEL_VERSION}` });
    parts.splice(0, 2);
  }
  const [verb, ...extra] = parts;
  if (extra.length > 0) return v2Error({ code: 'not_found', message: `no route ${V2_PREFIX}/models/${rest}` });
  if (verb === undefined) return onlyGet(request, () => metadata(deps));
  if (verb === 'ready') return onlyGet(request, () => readiness(deps.host, () => ({ name, ready: true })));
  if (verb === 'infer') return request.method === 'POST' ? infer(request, deps) : methodNotAllowed('POST');
  return v2Error({ code: 'not_found', message: `unknown model route /${verb}: use /infer, /ready or none (metadata)` });
}

function metadata(deps: V2Deps): Response {
  const manifest = deps.manifest();
  if (manifest === undefined) return v2Error({ code: 'not_ready', message: `model ${deps.host.name} is ${deps.host.phase}: its metadata is not known yet` });
  return jsonResponse(200, modelMetadata(manifest, deps.host.name));
}

async function infer(request: Request, deps: V2Deps): Promise<Response> {
  // Refuse early so a loading or draining replica does not read bodies it will not serve.
  const refusal = deps.host.unavailable();
  if (refusal !== undefined) return v2Error(refusal);
  const manifest = deps.manifest();
  if (manifest === undefined) return v2Error({ code: 'not_ready', message: `model ${deps.host.name} has no manifest` });
  const body = await readJsonBody(request, deps.maxBodyBytes);
  if (!body.ok) return v2Error(body.error);
  const decoded = readInferRequest(manifest, body.value);
  if (!decoded.ok) return v2Error(decoded.error);
  const predicted = await deps.host.predict(decoded.value.instances);
  if (!predicted.ok) return v2Error(asRows(predicted.error));
  const { id, outputs } = decoded.value;
  const response = encodeInferResponse(manifest, predicted.value, id, { modelName: deps.host.name, ...(outputs && { outputs }) });
  return response.ok ? jsonResponse(200, response.value) : v2Error(response.error);
}

/** Readiness as V1 has it: 200 only once loaded and warmed up, else 503. */
function readiness(host: ModelHost, body: () => object): Response {
  const refusal = notReady(host);
  return refusal === undefined ? jsonResponse(200, body()) : v2Error(refusal);
}

/** The parser names V1's instances[i]: in a V2 request that is row i of the batch dimension. */
function asRows(error: ApiError): ApiError {
  return { ...error, message: error.message.replace(/^instances\[(\d+)\]/, 'row $1 of the batch') };
}

export function v2Error(error: ApiError, headers: Record<string, string> = {}): Response {
  const body: V2ErrorBody = { error: error.message };
  return jsonResponse(ERROR_STATUS[error.code], body, headers);
}

function onlyGet(request: Request, respond: () => Response): Response {
  return getOnly(request, respond, v2Error);
}

function methodNotAllowed(allowed: string): Response {
  return refuseMethod(allowed, v2Error);
}
