import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupFile, passwdFile, runtimeDockerfile, serverDockerfile } from '../../../src/deploy/image/dockerfile.ts';
import { parseLdd } from '../../../src/deploy/image/libraries.ts';
import { staleImages } from '../../../src/deploy/image/stale.ts';

describe('parseLdd', () => {
  test('keeps resolved libraries and the loader, skips the vdso', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd1)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f34b4400000)',
      '\tlibonnxruntime.so.1 => /app/node_modules/x/libonnxruntime.so.1 (0x00007ff42a400000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f34b480f000)',
    ].join('\n');
    assert.deepEqual(parseLdd(output), [
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/app/node_modules/x/libonnxruntime.so.1',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });
});

describe('offline image files', () => {
  test('the runtime starts from scratch; the server builds on it, runs as uid 10001 and starts the bundle', () => {
    assert.ok(runtimeDockerfile().split('\n').includes('FROM scratch'));
    const lines = serverDockerfile('tune-runtime:abc').split('\n');
    assert.ok(lines.includes('FROM tune-runtime:abc'));
    assert.ok(lines.includes('USER 10001:10001'));
    assert.ok(lines.includes('ENTRYPOINT ["/usr/bin/node", "/app/server.js"]'));
  });

  test('the user database names the unprivileged user', () => {
    assert.match(passwdFile(), /^tune:x:10001:10001:/m);
    assert.match(groupFile(), /^tune:x:10001:$/m);
  });
});

describe('staleImages', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const hoursAgo = (h: number) => (now - h * 3600_000) / 1000;
  const images = [
    { Id: 'current', RepoTags: ['tune-server:aaa', 'tune-server:latest'], Created: hoursAgo(5) },
    { Id: 'old', RepoTags: ['tune-server:bbb'], Created: hoursAgo(2) },
    { Id: 'recent', RepoTags: ['tune-server:ccc'], Created: hoursAgo(0.1) },
    { Id: 'untagged', RepoTags: null, Created: hoursAgo(3) },
  ];

  test('keeps the current image and recent builds, deletes older ones', () => {
    assert.deepEqual(staleImages(images, 'tune-server:aaa', now).map((i) => i.Id), ['old', 'untagged']);
  });
});
