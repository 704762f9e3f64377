import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { demuxLogs, lastLogLine, stoppedReplicaFailure } from '../../../src/deploy/docker/replica-failure.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('stoppedReplicaFailure', () => {
  test('OOMKilled is oom_killed and names the limit', () => {
    const failure = stoppedReplicaFailure(1, { OOMKilled: true, ExitCode: 137, Running: false }, 64, '');
    assert.equal(failure.kind, 'oom_killed');
    assert.match(failure.message, /replica 1 .*64 MB memory limit/);
  });

  test('a non-zero exit is crashed with the code and the last log line', () => {
    const failure = stoppedReplicaFailure(0, { OOMKilled: false, ExitCode: 2, Running: false }, 64, 'bad_config: TUNE_PORT');
    assert.deepEqual(failure, { kind: 'crashed', message: 'replica 0 exited with code 2: bad_config: TUNE_PORT' });
  });
});

describe('demuxLogs and lastLogLine', () => {
  const logs = Buffer.concat([frame(1, 'loading\n'), frame(2, 'warn: slow\n'), frame(1, 'ready?\n'), frame(2, 'Error: boom\n\n')]);

  test('splits the engine frames into stdout and stderr', () => {
    assert.deepEqual(demuxLogs(logs), { stdout: 'loading\nready?\n', stderr: 'warn: slow\nError: boom\n\n' });
  });

  test('prefers the last stderr line, falling back to stdout', () => {
    assert.equal(lastLogLine(demuxLogs(logs)), 'Error: boom');
    assert.equal(lastLogLine({ stdout: 'a\nb\n', stderr: '' }), 'b');
    assert.equal(lastLogLine({ stdout: '', stderr: '' }), '');
  });

  test('shortens the server JSON log lines to event and message, and strips colours', () => {
    const json = '{"time":"t","event":"config_error","code":"bad_config","message":"TUNE_PORT is invalid"}';
    assert.equal(lastLogLine({ stdout: '', stderr: `${json}\n` }), 'config_error: TUNE_PORT is invalid');
    assert.equal(lastLogLine({ stdout: '', stderr: '\u001b[0;93mW: warning\u001b[m\n' }), 'W: warning');
  });

  test('ignores a truncated trailing frame', () => {
    assert.deepEqual(demuxLogs(Buffer.concat([frame(2, 'x\n'), Buffer.from([1, 0, 0])])), { stdout: '', stderr: 'x\n' });
  });
});
