/** Structured logging: one JSON object per line on stderr, so container logs stay machine-readable. */
export type LogEvent = (event: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(write: (line: string) => void = (line) => process.stderr.write(line)): LogEvent {
  return (event, fields = {}) => write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}
