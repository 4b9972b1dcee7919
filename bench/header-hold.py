#!/usr/bin/env python3
"""Holds CONNS HTTP connections, each having sent a request line and one HEADER_KB KiB header without the blank line
that ends the headers, for bench/header-memory.sh. Prints "held N" once every byte is sent, then waits for a line on
stdin and closes them all, printing "closed".
usage: header-hold.py HTTP_PORT CONNS HEADER_KB"""
import socket, sys

port, conns, kib = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
request = b"GET /ping HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + b"a" * (kib * 1024)
socks = []
for _ in range(conns):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(request)  # the final CRLFCRLF is withheld
    socks.append(s)
print("held", len(socks), flush=True)
sys.stdin.readline()
for s in socks:
    s.close()
print("closed", flush=True)
