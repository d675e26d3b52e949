// Which client addresses may send camera traffic (config camera.networks, CIDRs).
// Node's BlockList does the matching; IPv4-mapped IPv6 addresses are checked as IPv4.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { gatewayError } from '../errors.js';

export type AddressCheck = (address: string | undefined) => boolean;

/** The refusal of an address outside camera.networks: one text for REST and Socket.IO alike. */
export const NETWORK_FORBIDDEN = gatewayError('NETWORK_FORBIDDEN');

export function createNetworkAllowlist(cidrs: readonly string[]): AddressCheck {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/');
    if (!net || !(isIPv4(net) || isIPv6(net))) throw new Error(`not a network address: ${cidr}`);
    const type = isIPv4(net) ? 'ipv4' : 'ipv6';
    const prefix = bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) {
      throw new Error(`bad prefix length in ${cidr}`);
    }
    list.addSubnet(net, prefix, type);
  }
  // A checkpoint has a handful of cameras and each sends many records: remember answers
  // (BlockList.check builds a SocketAddress every call). Bounded, so a scan of many
  // source addresses cannot grow it.
  const known = new Map<string, boolean>();
  const check = (address: string): boolean => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return list.check(mapped[1]!, 'ipv4');
    if (isIPv4(address)) return list.check(address, 'ipv4');
    if (isIPv6(address)) return list.check(address, 'ipv6');
    return false;
  };
  return (address) => {
    if (!address) return false;
    let allowed = known.get(address);
    if (allowed === undefined) {
      allowed = check(address);
      if (known.size >= 1024) known.clear();
      known.set(address, allowed);
    }
    return allowed;
  };
}
