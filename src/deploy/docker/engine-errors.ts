/**
 * Turns errors thrown by dockerode into the typed failures of the deployment contract.
 * Pure: takes the error and names, returns a failure or undefined when the error is not one we classify.
 */
import type { DeployFailure } from '../backend.ts';

/** Socket-level codes meaning nothing answers at the engine address. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT']);

interface EngineError {
  code?: unknown;
  syscall?: unknown;
  statusCode?: unknown;
  json?: unknown;
  message?: unknown;
}

/** Only errors of the connection itself: a missing file elsewhere (ENOENT) must not read as a dead engine. */
export function isEngineUnreachable(error: unknown): boolean {
  const e = error as EngineError | null;
  if (typeof e?.code !== 'string') return false;
  if (e.syscall === 'connect') return UNREACHABLE_CODES.has(e.code);
  // The engine went away mid-request: the socket broke before any HTTP status came back.
  return (e.code === 'EPIPE' || e.code === 'ECONNRESET') && e.statusCode === undefined;
}

export function statusCodeOf(error: unknown): number | undefined {
  const status = (error as EngineError | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The engine's own message (from its JSON body when present), on one line. */
export function engineMessage(error: unknown): string {
  const e = error as EngineError | null;
  const json = e?.json as { message?: unknown } | null | undefined;
  const text = typeof json?.message === 'string' ? json.message : String(e?.message ?? error);
  return text.replace(/\s+/g, ' ').trim();
}

export function engineUnreachableFailure(address: string): DeployFailure & { kind: 'engine_unreachable' } {
  return {
    kind: 'engine_unreachable',
    message: `Docker engine unreachable at ${address}: start it (sudo dockerd &, or systemctl start docker) and retry`,
  };
}

/** Failures from creating or starting a container: unreachable engine, missing image, rejected settings. */
export function classifyCreateError(error: unknown, address: string, image: string): DeployFailure {
  if (isEngineUnreachable(error)) return engineUnreachableFailure(address);
  const status = statusCodeOf(error);
  const detail = engineMessage(error);
  if (status === 404 && /image/i.test(detail)) {
    return {
      kind: 'image_missing',
      message: `Docker image ${image} not found: run \`tune image build\` (or docker build -f containers/Dockerfile -t ${image} .) and retry`,
    };
  }
  if (status === 400) return { kind: 'invalid_config', message: `Docker rejected the container settings: ${detail}` };
  return { kind: 'crashed', message: `Docker could not start the container: ${detail}` };
}
