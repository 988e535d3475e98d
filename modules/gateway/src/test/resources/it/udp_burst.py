#!/usr/bin/env python3
"""Sends COUNT datagrams at once from one new socket and counts the echoes. Usage: udp_burst.py ADDR PORT COUNT.
Prints "back N" (distinct datagrams echoed within 5 s); exits 0."""
import socket
import sys
import time


def main():
    addr, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.connect((addr, port))
    for i in range(count):
        s.send(b"burst-%d" % i)
    back, t0 = set(), time.monotonic()
    while len(back) < count and time.monotonic() - t0 < 5:
        s.settimeout(max(0.01, 5 - (time.monotonic() - t0)))
        try:
            back.add(s.recv(100))
        except socket.timeout:
            break
    print(f"back {len(back)}", flush=True)


if __name__ == "__main__":
    main()
