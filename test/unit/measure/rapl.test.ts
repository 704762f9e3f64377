import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { raplJoulesBetween, readRapl, startRaplMeter, type PowercapReader } from '../../../src/measure/rapl.ts';

/** A powercap tree in memory: directory listings and file contents by path. */
function fakePowercap(counters: Record<string, number>, maxRange = 1_000_000): PowercapReader & { set: (name: string, uj: number) => void } {
  const values = { ...counters };
  return {
    list: (dir) => (dir === '/sys/class/powercap' ? [...Object.keys(values), 'intel-rapl:0:0', 'intel-rapl'] : undefined),
    read: (path) => {
      const [, name, file] = /powercap\/([^/]+)\/(\w+)$/.exec(path) ?? [];
      if (name === undefined || !(name in values)) return undefined;
      return file === 'energy_uj' ? `${values[name]}\n` : `${maxRange}\n`;
    },
    set: (name, uj) => {
      values[name] = uj;
    },
  };
}

describe('RAPL', () => {
  test('reads package domains only and sums their deltas', () => {
    const powercap = fakePowercap({ 'intel-rapl:0': 100, 'intel-rapl:1': 200 });
    const before = readRapl(powercap);
    assert.deepEqual(before?.map((domain) => domain.name), ['intel-rapl:0', 'intel-rapl:1']);
    powercap.set('intel-rapl:0', 600_100);
    powercap.set('intel-rapl:1', 400_200);
    assert.equal(raplJoulesBetween(before!, readRapl(powercap)!), 1);
  });

  test('a counter that wrapped adds its range', () => {
    const powercap = fakePowercap({ 'intel-rapl:0': 900_000 });
    const meter = startRaplMeter(powercap);
    powercap.set('intel-rapl:0', 100_000); // wrapped at 1 000 000 µJ: 100 000 + 100 000 µJ
    assert.equal(meter?.(), 0.2);
  });

  test('absent or unreadable counters mean no RAPL', () => {
    assert.equal(readRapl({ list: () => undefined, read: () => undefined }), undefined);
    assert.equal(startRaplMeter({ list: () => ['intel-rapl:0'], read: () => undefined }), undefined);
  });
});
