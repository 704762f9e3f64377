/** A user's own workload: a JSON-lines file, one instance per line, blank lines ignored. */
export type WorkloadErrorCode = 'workload_unreadable' | 'workload_empty' | 'workload_bad_line' | 'unknown_model';

export interface WorkloadError {
  code: WorkloadErrorCode;
  message: string;
}

export type InstancesOutcome = { ok: true; instances: string[] } | { ok: false; error: WorkloadError };

const FIX = 'write one JSON instance per line, e.g. {"text": "..."}';

export function readWorkloadFile(path: string, readText: (path: string) => string): InstancesOutcome {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'workload_unreadable', message: `cannot read workload file ${path}: ${reason}` } };
  }
  return parseWorkloadLines(text, path);
}

/** Each instance is re-serialised from its parsed value, so what is sent is known to be valid JSON. */
export function parseWorkloadLines(text: string, source: string): InstancesOutcome {
  const instances: string[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    try {
      instances.push(JSON.stringify(JSON.parse(line)));
    } catch {
      const message = `workload file ${source} line ${index + 1} is not valid JSON: ${FIX}`;
      return { ok: false, error: { code: 'workload_bad_line', message } };
    }
  }
  if (instances.length === 0) {
    return { ok: false, error: { code: 'workload_empty', message: `workload file ${source} has no instances: ${FIX}` } };
  }
  return { ok: true, instances };
}
