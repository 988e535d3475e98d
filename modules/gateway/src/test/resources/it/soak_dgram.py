#!/usr/bin/env python3
"""Many datagrams through a lossy path, each checked for integrity on its way back.
Usage: soak_dgram.py udp ADDR PORT COUNT   (to a UDP echo server)
       soak_dgram.py icmp ADDR COUNT       (ICMP echo over a raw socket)
Each message carries its number and a pattern derived from it, 16..1400 bytes; a reply whose bytes differ from
what was sent is corrupt. Loss is expected (the path drops), corruption never. Prints one line
"sent=N ok=M corrupt=K bytes=B" (B: bytes of intact replies) and exits 0 unless something came back corrupt."""
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    data += b"\0" * (len(data) % 2)
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def body(n):
    size = 16 + (n * 7919) % 1385
    return struct.pack("!Q", n) + bytes((n + i * 31) & 0xFF for i in range(size - 8))


def main():
    mode, addr = sys.argv[1], sys.argv[2]
    if mode == "udp":
        port, count = int(sys.argv[3]), int(sys.argv[4])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect((addr, port))
        send = lambda n: s.send(body(n))
        def parse(data):
            return data
    else:
        count, ident = int(sys.argv[3]), os.getpid() & 0xFFFF
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        def send(n):
            payload = body(n)
            head = struct.pack("!BBHHH", 8, 0, 0, ident, n & 0xFFFF)
            s.sendto(struct.pack("!BBHHH", 8, 0, checksum(head + payload), ident, n & 0xFFFF) + payload, (addr, 0))
        def parse(data):
            ihl = (data[0] & 0x0F) * 4
            kind, _, _, rid, _ = struct.unpack_from("!BBHHH", data, ihl)
            return data[ihl + 8:] if kind == 0 and rid == ident else None
    s.setblocking(False)
    ok, corrupt, nbytes, seen = 0, 0, 0, set()

    def drain(until):
        nonlocal ok, corrupt, nbytes
        while True:
            left = until - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                return
            try:
                msg = parse(s.recv(65535))
            except BlockingIOError:
                continue
            if msg is None or len(msg) < 8:
                continue
            n = struct.unpack_from("!Q", msg)[0]
            if n >= count or msg != body(n):
                corrupt += 1
            elif n not in seen:          # the path duplicates: count each message once
                seen.add(n)
                ok += 1
                nbytes += len(msg)

    for n in range(count):
        send(n)
        drain(time.monotonic() + 0.002)
    drain(time.monotonic() + 2)
    print(f"sent={count} ok={ok} corrupt={corrupt} bytes={nbytes}", flush=True)
    sys.exit(1 if corrupt else 0)


if __name__ == "__main__":
    main()
