import { readdirSync, readFileSync } from 'node:fs';

/**
 * Intel RAPL package energy counters (Linux powercap). They measure the whole CPU package, so a reading
 * includes everything else running on the host, the load generator too: use it on a quiet machine.
 */
export const POWERCAP_DIR = '/sys/class/powercap';

/** Reads the powercap tree; injected so the arithmetic can be tested without the hardware. */
export interface PowercapReader {
  list(dir: string): string[] | undefined; // entry names, undefined when the directory is missing
  read(path: string): string | undefined; // file contents, undefined when missing or unreadable
}

export interface RaplDomain {
  name: string; // e.g. intel-rapl:0
  energyUj: number;
  maxRangeUj: number;
}

/** Top-level package domains only (intel-rapl:N): their subdomains (cores, dram) are parts of them. */
const PACKAGE_DOMAIN = /^intel-rapl:\d+$/;

/** The counters now, or undefined when RAPL is absent or unreadable (it is root-only on many kernels). */
export function readRapl(reader: PowercapReader): RaplDomain[] | undefined {
  const names = reader.list(POWERCAP_DIR)?.filter((name) => PACKAGE_DOMAIN.test(name)).sort();
  if (!names || names.length === 0) return undefined;
  const domains: RaplDomain[] = [];
  for (const name of names) {
    const energyUj = Number(reader.read(`${POWERCAP_DIR}/${name}/energy_uj`)?.trim());
    const maxRangeUj = Number(reader.read(`${POWERCAP_DIR}/${name}/max_energy_range_uj`)?.trim());
    if (!Number.isFinite(energyUj) || !(maxRangeUj > 0)) return undefined;
    domains.push({ name, energyUj, maxRangeUj });
  }
  return domains;
}

/** Joules between two readings; a counter that went down wrapped once past its range. */
export function raplJoulesBetween(before: RaplDomain[], after: RaplDomain[]): number {
  let microjoules = 0;
  for (const end of after) {
    const start = before.find((domain) => domain.name === end.name);
    if (start === undefined) continue;
    const delta = end.energyUj - start.energyUj;
    microjoules += delta >= 0 ? delta : delta + end.maxRangeUj;
  }
  return microjoules / 1e6;
}

/** Starts a RAPL measurement; the returned function reads the joules since. Undefined without RAPL. */
export function startRaplMeter(reader: PowercapReader = systemPowercap): (() => number | undefined) | undefined {
  const before = readRapl(reader);
  if (before === undefined) return undefined;
  return () => {
    const after = readRapl(reader);
    return after === undefined ? undefined : raplJoulesBetween(before, after);
  };
}

export const systemPowercap: PowercapReader = {
  list: (dir) => attempt(() => readdirSync(dir)),
  read: (path) => attempt(() => readFileSync(path, 'utf8')),
};

function attempt<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
