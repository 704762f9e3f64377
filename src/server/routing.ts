/** What the V1 and V2 routes share: method checks, path decoding and the readiness rule. */
import type { ApiError } from './api-error.ts';
import type { ModelHost } from './model-host.ts';

/** Answers GET and HEAD with `respond`; any other method with `refuse` (405, naming GET). */
export function onlyGet(request: Request, respond: () => Response, refuse: (error: ApiError, headers: Record<string, string>) => Response): Response {
  return request.method === 'GET' || request.method === 'HEAD' ? respond() : methodNotAllowed('GET', refuse);
}

export function methodNotAllowed(allowed: string, refuse: (error: ApiError, headers: Record<string, string>) => Response): Response {
  return refuse({ code: 'method_not_allowed', message: `use ${allowed} on this route` }, { allow: allowed });
}

/** Ready means loaded and warmed up (V1 and V2 alike): undefined then, else why not. */
export function notReady(host: ModelHost): ApiError | undefined {
  if (host.phase === 'ready') return undefined;
  const detail = host.phase === 'failed' ? `failed: ${host.failureMessage}` : host.phase;
  return { code: 'not_ready', message: `model ${host.name} is ${detail}` };
}

export function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
