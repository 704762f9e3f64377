/**
 * The server's whole HTTP behaviour as one fetch-style function, Request → Response, so tests call it
 * without opening a port and http.ts only adapts node:http to it. Routes are those of protocol.ts.
 */
import { errorResponse, fail, jsonResponse, succeed, type Outcome } from './api-error.ts';
import type { ModelManifest } from '../models/manifest.ts';
import { readJsonBody } from './json-body.ts';
import type { LiveConfig } from './live-config.ts';
import { PROMETHEUS_CONTENT_TYPE, type ServerMetrics } from './metrics.ts';
import type { ModelHost } from './model-host.ts';
import { ROUTES, type PredictResponse } from './protocol.ts';
import { decodeSafely, methodNotAllowed as refuseMethod, notReady, onlyGet as getOnly } from './routing.ts';
import { V2_PREFIX, v2Route } from './v2/routes.ts';

export interface HandlerDeps {
  host: ModelHost;
  /** The served model's manifest once read (the V2 metadata and codecs need it); undefined before or on failure. */
  manifest: () => ModelManifest | undefined;
  /** The tuned knobs in effect, and changes to them (ROUTES.config). */
  liveConfig: LiveConfig;
  metrics: ServerMetrics;
  maxBodyBytes: number;
  /** Milliseconds, for request latency. */
  now: () => number;
  /** Unexpected failures (bugs), one JSON line each. */
  logError: (event: string, fields: Record<string, unknown>) => void;
}

export type Handler = (request: Request) => Promise<Response>;

const MODELS_PREFIX = '/v1/models/';

export function createHandler(deps: HandlerDeps): Handler {
  return async (request) => {
    const started = deps.now();
    deps.metrics.inFlight.add(1);
    const path = new URL(request.url).pathname;
    deps.metrics.apiRequests.inc(apiOf(path));
    const response = await route(request, path, deps).catch((error: unknown) => {
      deps.logError('handler_error', { message: error instanceof Error ? error.message : String(error) });
      return errorResponse({ code: 'internal', message: 'internal server error: see the server log' });
    });
    deps.metrics.inFlight.add(-1);
    deps.metrics.requests.inc(String(response.status));
    deps.metrics.requestSeconds.observe((deps.now() - started) / 1000);
    return response;
  };
}

/** Which protocol a path belongs to, for tune_http_requests_by_api_total. */
export function apiOf(path: string): 'v1' | 'v2' | 'other' {
  if (path.startsWith('/v1/')) return 'v1';
  return path === V2_PREFIX || path.startsWith(`${V2_PREFIX}/`) ? 'v2' : 'other';
}

async function route(request: Request, path: string, deps: HandlerDeps): Promise<Response> {
  if (path === ROUTES.live) return onlyGet(request, () => jsonResponse(200, { status: 'alive' }));
  if (path === ROUTES.ready) return onlyGet(request, () => readiness(deps.host));
  if (path === ROUTES.metrics) {
    return onlyGet(request, () => new Response(deps.metrics.render(), { headers: { 'content-type': PROMETHEUS_CONTENT_TYPE } }));
  }
  if (path === ROUTES.config) return configRoute(request, deps);
  if (path.startsWith(MODELS_PREFIX)) return modelRoute(request, path.slice(MODELS_PREFIX.length), deps);
  if (apiOf(path) === 'v2') return v2Route(request, path, deps);
  return errorResponse({ code: 'not_found', message: `no route ${path}: see ${ROUTES.predict('<name>')}` });
}

function modelRoute(request: Request, rest: string, deps: HandlerDeps): Promise<Response> | Response {
  const [name, verb] = splitVerb(decodeSafely(rest));
  if (name !== deps.host.name) {
    return errorResponse({ code: 'unknown_model', message: `model ${JSON.stringify(name)} is not served here: use ${deps.host.name}` });
  }
  if (verb === 'predict') {
    if (request.method !== 'POST') return methodNotAllowed('POST');
    return predict(request, deps);
  }
  if (verb === undefined) return onlyGet(request, () => modelStatus(deps.host));
  return errorResponse({ code: 'not_found', message: `unknown model verb :${verb}: use :predict` });
}

async function predict(request: Request, deps: HandlerDeps): Promise<Response> {
  // Refuse early so a loading or draining replica does not read bodies it will not serve.
  const refusal = deps.host.unavailable();
  if (refusal !== undefined) return errorResponse(refusal);
  const body = await readJsonBody(request, deps.maxBodyBytes);
  if (!body.ok) return errorResponse(body.error);
  const instances = instancesOf(body.value);
  if (!instances.ok) return errorResponse(instances.error);
  const result = await deps.host.predict(instances.value);
  if (!result.ok) return errorResponse(result.error);
  const response: PredictResponse = { predictions: result.value };
  return jsonResponse(200, response);
}

/** GET the tuned knobs in effect; POST a ConfigChangeRequest to change them in place. */
async function configRoute(request: Request, deps: HandlerDeps): Promise<Response> {
  if (request.method === 'GET' || request.method === 'HEAD') return jsonResponse(200, deps.liveConfig.current());
  if (request.method !== 'POST') return methodNotAllowed('GET, POST');
  const body = await readJsonBody(request, deps.maxBodyBytes);
  if (!body.ok) return errorResponse(body.error);
  const changed = await deps.liveConfig.change(body.value);
  return changed.ok ? jsonResponse(200, changed.value) : errorResponse(changed.error);
}

function instancesOf(body: unknown): Outcome<unknown[]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('bad_instances', 'request body must be a JSON object {"instances": [...]}');
  }
  const instances = (body as Record<string, unknown>).instances;
  if (!Array.isArray(instances)) return fail('bad_instances', '"instances" must be an array');
  if (instances.length === 0) return fail('bad_instances', '"instances" is empty');
  return succeed(instances);
}

function readiness(host: ModelHost): Response {
  const refusal = notReady(host);
  return refusal === undefined ? jsonResponse(200, { status: 'ready' }) : errorResponse(refusal);
}

/** TF Serving's model status shape, so its clients and habits carry over. */
function modelStatus(host: ModelHost): Response {
  const state = { loading: 'LOADING', ready: 'AVAILABLE', reloading: 'LOADING', failed: 'END', stopping: 'UNLOADING' }[host.phase];
  const errorCode = host.phase === 'failed' ? 'UNKNOWN' : 'OK';
  return jsonResponse(200, {
    model_version_status: [{ version: '1', state, status: { error_code: errorCode, error_message: host.failureMessage } }],
  });
}

function onlyGet(request: Request, respond: () => Response): Response {
  return getOnly(request, respond, errorResponse);
}

function methodNotAllowed(allowed: string): Response {
  return refuseMethod(allowed, errorResponse);
}

function splitVerb(rest: string): [string, string | undefined] {
  const colon = rest.lastIndexOf(':');
  return colon < 0 ? [rest, undefined] : [rest.slice(0, colon), rest.slice(colon + 1)];
}
