// Captures SYNs arriving on an interface inside a namespace (python3 AF_PACKET) and checks their IP and TCP checksums; used to verify floods.
import { spawnLong } from '../core/exec.js';
import { pythonBin } from './tools.js';

const CAPTURE = String.raw`
import socket, struct, sys, time
dev, n, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind((dev, 0)); s.settimeout(timeout)
print('ready', flush=True)
def csum(b):
    if len(b) % 2: b += b'\0'
    t = sum(struct.unpack('!%dH' % (len(b)//2), b))
    while t >> 16: t = (t & 0xffff) + (t >> 16)
    return t
got = []
end = time.time() + timeout
while len(got) < n and time.time() < end:
    try: pkt, addr = s.recvfrom(65535)
    except socket.timeout: break
    if addr[2] == socket.PACKET_OUTGOING: continue
    eth = struct.unpack('!H', pkt[12:14])[0]; p = pkt[14:]
    if eth == 0x0800:
        ihl = (p[0] & 15) * 4
        if p[9] != 6: continue
        tcp = p[ihl:struct.unpack('!H', p[2:4])[0]]
        if not tcp[13] & 2 or tcp[13] & 16: continue
        src = socket.inet_ntop(socket.AF_INET, p[12:16])
        ipok = csum(p[:ihl]) == 0xffff
        tcpok = csum(p[12:20] + struct.pack('!BBH', 0, 6, len(tcp)) + tcp) == 0xffff
    elif eth == 0x86dd:
        if p[6] != 6: continue
        tcp = p[40:40 + struct.unpack('!H', p[4:6])[0]]
        if not tcp[13] & 2 or tcp[13] & 16: continue
        src = socket.inet_ntop(socket.AF_INET6, p[8:24]); ipok = True
        tcpok = csum(p[8:40] + struct.pack('!I3xB', len(tcp), 6) + tcp) == 0xffff
    else: continue
    got.append((src, ipok, tcpok))
import json
print(json.dumps([{'src': g[0], 'ipOk': g[1], 'tcpOk': g[2]} for g in got]))
`;

export interface CapturedSyn {
  src: string;
  ipOk: boolean;
  tcpOk: boolean;
}

export interface Capture {
  /** Resolves once the socket is bound and capturing. */
  readonly ready: Promise<void>;
  /** Up to `max` incoming SYNs seen within `timeoutS` seconds of starting. */
  readonly result: Promise<CapturedSyn[]>;
}

/** Starts capturing incoming SYNs on `dev` in namespace `ns`; flood only after `ready`. */
export function captureSyns(ns: string, dev: string, max: number, timeoutS: number): Capture {
  const { child, exited } = spawnLong(pythonBin(), ['-c', CAPTURE, dev, String(max), String(timeoutS)], { netns: ns });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    void exited.then(() => reject(new Error(`capture in ${ns} ended before it was ready: ${err.trim()}`)));
  });
  const hard = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 10) * 1000);
  const result = exited.then((code) => {
    clearTimeout(hard);
    const json = out.split('\n').find((l) => l.startsWith('['));
    if (code !== 0 || json === undefined) throw new Error(`capture in ${ns} failed (${String(code)}): ${err.trim()}`);
    return JSON.parse(json) as CapturedSyn[];
  });
  ready.catch(() => undefined);
  result.catch(() => undefined);
  return { ready, result };
}
