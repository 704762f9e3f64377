/**
 * The search space as a study stores it: the document read from the file plus the parameters pinned on the
 * command line (e.g. --precision int8), so a resumed study searches exactly the space it started with.
 */
import { pinParameters } from '../space/pin.ts';
import { parseSearchSpace, type SpaceContext } from '../space/parse.ts';
import type { Params } from '../space/params.ts';
import type { SearchSpace } from '../space/space.ts';
import type { SpaceResult } from '../space/space-error.ts';

export interface StoredSpace {
  origin: string; // the file it was read from
  document: unknown; // the file's JSON
  pinned: Params;
}

export function isStoredSpace(value: unknown): value is StoredSpace {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.origin === 'string' && 'document' in record && typeof record.pinned === 'object' && record.pinned !== null;
}

/** Parses the stored document again (against this host's context) and re-applies its pins. */
export function spaceFromStored(stored: StoredSpace, context: SpaceContext): SpaceResult<SearchSpace> {
  const parsed = parseSearchSpace(stored.document, stored.origin, context);
  if (!parsed.ok || Object.keys(stored.pinned).length === 0) return parsed;
  return pinParameters(parsed.value, stored.pinned);
}
