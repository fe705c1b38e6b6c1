// The lab's address plan (pure): who gets which address inside 198.18.0.0/15 and 2001:db8::/32, and which routes the victim needs.

/** The victim's service addresses (on its loopback). */
export const VICTIM_V4 = '198.18.0.1';
export const VICTIM_V6 = '2001:db8::1';
/** Spoofed IPv4 sources come from here; the victim routes it back through the first attacker's link. */
export const SPOOF_POOL_V4 = '198.19.0.0/16';
/** Link-local gateway addresses on every victim↔peer link. */
export const LINK_LOCAL_VICTIM = 'fe80::1';
export const LINK_LOCAL_PEER = 'fe80::2';
/** Every lab address lies in one of these. */
export const LAB_RANGES = ['198.18.0.0/15', '2001:db8::/32'] as const;

export interface PeerPlan {
  /** Link number (1 = client, 2.. = attackers); also the third octet of the peer's /24. */
  readonly link: number;
  readonly role: string;
  readonly v4: string[];
  readonly v6: string[];
  /** Prefixes the victim routes to this peer: its own /24 and /64, extra client addresses as /32 and /128. */
  readonly victimRoutes4: string[];
  readonly victimRoutes6: string[];
}

/** Primary addresses of the peer on link K: 198.18.K.2 and 2001:db8:0:K::2. */
function primary(link: number): { v4: string; v6: string } {
  return { v4: `198.18.${link}.2`, v6: `2001:db8:0:${link.toString(16)}::2` };
}

/**
 * Plans the client and attackers. The client's second address shares the first attacker's /24 and /64;
 * further extras each sit in their own /24 and /64 (198.18.100+i.2).
 */
export function planPeers(attackers: number, clientExtraAddrs: number): PeerPlan[] {
  if (!Number.isInteger(attackers) || attackers < 1 || attackers > 50) {
    throw new RangeError(`attackers must be an integer 1-50, got ${attackers}`);
  }
  if (!Number.isInteger(clientExtraAddrs) || clientExtraAddrs < 1 || clientExtraAddrs > 50) {
    throw new RangeError(`clientExtraAddrs must be an integer 1-50, got ${clientExtraAddrs}`);
  }
  const c = primary(1);
  const client: PeerPlan = { link: 1, role: 'client', v4: [c.v4], v6: [c.v6], victimRoutes4: ['198.18.1.0/24'], victimRoutes6: ['2001:db8:0:1::/64'] };
  for (let i = 0; i < clientExtraAddrs; i++) {
    const [v4, v6] = i === 0 ? ['198.18.2.200', '2001:db8:0:2::200'] : [`198.18.${99 + i}.2`, `2001:db8:0:${(99 + i).toString(16)}::2`];
    client.v4.push(v4);
    client.v6.push(v6);
    client.victimRoutes4.push(`${v4}/32`);
    client.victimRoutes6.push(`${v6}/128`);
  }
  const peers = [client];
  for (let a = 0; a < attackers; a++) {
    const link = a + 2;
    const p = primary(link);
    peers.push({
      link,
      role: `a${a + 1}`,
      v4: [p.v4],
      v6: [p.v6],
      victimRoutes4: [`198.18.${link}.0/24`, ...(a === 0 ? [SPOOF_POOL_V4] : [])],
      victimRoutes6: [`2001:db8:0:${link.toString(16)}::/64`],
    });
  }
  return peers;
}
