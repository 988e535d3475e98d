#!/usr/bin/env python3
"""Host-side client checks of a port forward; prints one line and exits 0.

  forward_probe.py connect HOST PORT         "refused" (connect failed ECONNREFUSED), "reset" (ECONNRESET at connect
                                             or first read, no byte), "eof" (a clean close: the wrong answer) or "data"
  forward_probe.py upload HOST PORT FILE     sends FILE, shuts down its write side, prints what comes back (half-close)
  forward_probe.py udp HOST PORT TEXT        sends TEXT in one datagram, prints the reply (3 s timeout)
  forward_probe.py hold HOST PORT SECONDS    connects, prints "connected", waits SECONDS, then sends a GET on the same
                                             connection and prints its status line (a forward removed meanwhile)
"""
import errno
import socket
import sys
import time

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family = socket.AF_INET6 if ":" in host else socket.AF_INET

if mode == "udp":
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(sys.argv[4].encode(), (host, port))
    print(s.recvfrom(65535)[0].decode())
    sys.exit(0)

s = socket.socket(family, socket.SOCK_STREAM)
s.settimeout(30)
try:
    s.connect((host, port))
except OSError as e:
    print({errno.ECONNREFUSED: "refused", errno.ECONNRESET: "reset"}.get(e.errno, "connect-error " + str(e)))
    sys.exit(0)
if mode == "connect":
    try:
        print("data" if s.recv(1) else "eof")
    except ConnectionResetError:
        print("reset")
elif mode == "upload":
    with open(sys.argv[4], "rb") as f:
        while chunk := f.read(1 << 20):
            s.sendall(chunk)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while chunk := s.recv(65536):
        got += chunk
    print(got.decode().strip())
elif mode == "hold":
    print("connected", flush=True)
    time.sleep(float(sys.argv[4]))
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    print(s.makefile("rb").readline().decode().strip())
