/**
 * Why a replica stopped, from its container state and the tail of its logs. Pure.
 */
import type { DeployFailure } from '../backend.ts';

export interface StoppedState {
  OOMKilled: boolean;
  ExitCode: number;
  Running: boolean;
}

export function stoppedReplicaFailure(replica: number, state: StoppedState, memoryMb: number, lastLogLine: string): DeployFailure {
  if (state.OOMKilled) {
    return {
      kind: 'oom_killed',
      message: `replica ${replica} was killed for exceeding its ${memoryMb} MB memory limit: give it more memory`,
    };
  }
  const said = lastLogLine ? `: ${lastLogLine}` : ' without output';
  return { kind: 'crashed', message: `replica ${replica} exited with code ${state.ExitCode}${said}` };
}

/** Docker multiplexes non-TTY logs as frames: [stream (1 = stdout, 2 = stderr), 0, 0, 0, size (u32 BE)] + payload. */
export function demuxLogs(buffer: Buffer): { stdout: string; stderr: string } {
  const parts = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? parts.stderr : parts.stdout).push(payload);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(parts.stdout).toString('utf8'), stderr: Buffer.concat(parts.stderr).toString('utf8') };
}

/** The last non-empty line of stderr, else of stdout: usually the error that ended the process. */
export function lastLogLine(logs: { stdout: string; stderr: string }): string {
  const last = (text: string) => text.split('\n').map(plainLine).filter(Boolean).at(-1) ?? '';
  return (last(logs.stderr) || last(logs.stdout)).slice(0, 300);
}

/** Terminal colours removed; the server's JSON log lines shortened to "event: message". */
function plainLine(line: string): string {
  const text = line.replace(/\u001b\[[0-9;]*m/g, '').trim();
  if (!text.startsWith('{')) return text;
  try {
    const record = JSON.parse(text) as { event?: unknown; message?: unknown };
    if (typeof record.message !== 'string') return text;
    return typeof record.event === 'string' ? `${record.event}: ${record.message}` : record.message;
  } catch {
    return text;
  }
}
