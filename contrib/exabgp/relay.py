#!/usr/bin/env python3
# synguard's ExaBGP helper. ExaBGP runs it as its API `process` (encoder text): it joins ExaBGP's stdin and stdout to
# the Unix socket synguard listens on. Commands from synguard go to ExaBGP; acknowledgements ("done"/"error") and
# neighbour changes come back.
#
# When synguard goes away (the socket closes, or it is not there at all), the relay stops ExaBGP with SIGTERM: the BGP
# session closes and the provider forgets every announcement. Nothing synguard announced outlives synguard; when it
# starts again it re-announces what is still due from its store.
import os
import signal
import socket
import sys
import threading


def stop_exabgp(code):
    try:
        os.kill(os.getppid(), signal.SIGTERM)
    except OSError:
        pass
    os._exit(code)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write('usage: relay.py SOCKET\n')
        os._exit(2)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(sys.argv[1])
    except OSError as exc:
        sys.stderr.write('synguard relay: cannot reach %s: %s\n' % (sys.argv[1], exc))
        stop_exabgp(1)

    def from_exabgp():
        for line in sys.stdin.buffer:
            try:
                sock.sendall(line)
            except OSError:
                stop_exabgp(1)
        stop_exabgp(0)  # ExaBGP closed our stdin: it is shutting down

    threading.Thread(target=from_exabgp, daemon=True).start()
    out = sys.stdout.buffer
    while True:
        try:
            data = sock.recv(65536)
        except OSError:
            data = b''
        if not data:
            stop_exabgp(0)
        out.write(data)
        out.flush()


main()
