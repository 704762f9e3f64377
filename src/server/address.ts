/**
 * IPv4 addresses and subnets as TUNE_HOST takes them: an address, or a subnet such as 10.77.0.0/24 meaning "this
 * node's address in it". One reading for the server (which binds it), the Swarm backend (which checks the nodes'
 * addresses against it) and the exports (which write it). Pure.
 */

export interface Subnet {
  network: number;
  bits: number;
}

const SUBNET_SHAPE = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/;

/** The address as a 32-bit number, or undefined when `text` is not a dotted IPv4 address. */
export function ipv4Number(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** A subnet; 'invalid' for text shaped like one whose address or prefix is out of range; undefined otherwise. */
export function parseSubnet(text: string): Subnet | 'invalid' | undefined {
  const shaped = SUBNET_SHAPE.exec(text);
  if (!shaped) return undefined;
  const network = ipv4Number(shaped[1] as string);
  const bits = Number(shaped[2]);
  return network === undefined || bits > 32 ? 'invalid' : { network, bits };
}

export function inSubnet(address: string, subnet: Subnet): boolean {
  const value = ipv4Number(address);
  const size = 2 ** (32 - subnet.bits);
  return value !== undefined && Math.floor(value / size) === Math.floor(subnet.network / size);
}
