#!/usr/bin/env python3
"""Connection flood and churn against a lookupd on loopback, for bench/memory-after-flood.sh.
Waves of CONNS connections at once: each sends the magic, IDENTIFYs, REGISTERs TOPICS topics with one of ten
channels each, then half of them disconnect cleanly and half reset; every tenth connection sends junk instead
(E_INVALID). The names repeat from wave to wave: keys outlive their producers (as in the original), so fresh names
would grow the directory for good, and the point here is what the churn leaves behind. Repeats until SECONDS
have passed.
usage: flood.py TCP_PORT SECONDS [CONNS] [TOPICS]"""
import json, socket, struct, sys, time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
conns = int(sys.argv[3]) if len(sys.argv) > 3 else 500
topics = int(sys.argv[4]) if len(sys.argv) > 4 else 20
deadline = time.monotonic() + seconds
wave = 0
while time.monotonic() < deadline:
    wave += 1
    socks = []
    for i in range(conns):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            continue
        socks.append(s)
        if i % 10 == 9:
            s.sendall(b"  V1" + b"JUNK " * 40 + b"\n")
            continue
        body = json.dumps({"broadcast_address": "flood", "hostname": "flood", "tcp_port": 10000 + i,
                           "http_port": 20000 + i, "version": "1.3.0"}).encode()
        cmds = [b"  V1", b"IDENTIFY\n", struct.pack(">i", len(body)), body]
        cmds += [b"REGISTER flood-%d c%d\n" % (t, i % 10) for t in range(topics)]
        s.sendall(b"".join(cmds))
    for s in socks:  # read what came back, so the server's writes complete
        try:
            s.settimeout(2)
            s.recv(65536)
        except OSError:
            pass
    for i, s in enumerate(socks):
        if i % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
        s.close()
print(f"flood: {wave} waves of {conns} connections, {topics} topics each", file=sys.stderr)
