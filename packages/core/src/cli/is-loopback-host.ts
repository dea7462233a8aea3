import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * Whether a `-host` value keeps the listener on this machine: `localhost`, `127.0.0.0/8`, `::1` (and its
 * IPv4-mapped form). Anything else, `0.0.0.0`, `::` or a hostname that may resolve outward, counts as exposed.
 */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const unbracketed = host.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(unbracketed);
  if (family === 0) return false;
  return loopback.check(unbracketed, family === 4 ? 'ipv4' : 'ipv6');
}
