// Source of a small python3 raw-socket IPv6 SYN sender (hping3 has no IPv6); run with `python3 -c`.
// argv: TARGET PORT PPS COUNT END_EPOCH_S MODE SRC   where MODE is "fixed" (SRC = comma list) or "rotate" (SRC = PREFIX/LEN).
// Prints "sent N" when it stops: after COUNT packets, at END_EPOCH_S (wall clock, so slow start-up eats no budget), or on SIGINT/SIGTERM.
import { PY_STOP_AND_DEADLINE } from './py-sender.js';

export const SYN6_SENDER = String.raw`
import ipaddress, random, signal, socket, struct, sys, time
target, port, pps, count, end_at, mode, src = sys.argv[1:8]
port, pps, count, end_at = int(port), float(pps), int(count), float(end_at)
dst = ipaddress.IPv6Address(target).packed
if mode == "rotate":
    net = ipaddress.IPv6Network(src, strict=False)
    base, span = int(net.network_address), net.num_addresses
    def source(i): return (base + random.randrange(1, span)).to_bytes(16, "big")
else:
    fixed = [ipaddress.IPv6Address(a).packed for a in src.split(",")]
    def source(i): return fixed[i % len(fixed)]
def csum(data):
    s = sum(struct.unpack("!30H", data))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF
sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
sent = 0
${PY_STOP_AND_DEADLINE}
while sent < count and not stop:
    now = time.monotonic()
    if now >= deadline: break
    due = min(count, int((now - start) * pps) + 1)
    while sent < due and not stop:
        s = source(sent)
        tcp = struct.pack("!HHIIBBHHH", random.randrange(1024, 65536), port, random.getrandbits(32), 0, 5 << 4, 0x02, 64240, 0, 0)
        pseudo = s + dst + struct.pack("!I3xB", 20, 6)
        c = csum(tcp + pseudo)
        tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
        hdr = struct.pack("!IHBB", 6 << 28, 20, 6, 64) + s + dst
        try:
            sock.sendto(hdr + tcp, (target, 0))
            sent += 1
        except (BlockingIOError, OSError):
            time.sleep(0.0005)
            break
    time.sleep(0.0005)
print("sent %d" % sent, flush=True)
`;
