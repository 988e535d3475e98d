#!/usr/bin/env python3
"""ICMP echo over a raw socket (the image has no ping binary). Usage: icmp_ping.py ADDR COUNT.
Prints one "reply seq=N rtt_us=T" per answered request; exits 0 only if every request was answered within 2 s."""
import os
import socket
import struct
import sys
import time


def checksum(data):
    data += b"\0" * (len(data) % 2)
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def main():
    addr, count = sys.argv[1], int(sys.argv[2])
    ident = os.getpid() & 0xFFFF
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    answered = 0
    for seq in range(1, count + 1):
        payload = b"tungate-it" * 4
        head = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        packet = struct.pack("!BBHHH", 8, 0, checksum(head + payload), ident, seq) + payload
        t0 = time.monotonic()
        sock.sendto(packet, (addr, 0))
        while time.monotonic() - t0 < 2:
            sock.settimeout(max(0.01, 2 - (time.monotonic() - t0)))
            try:
                data, src = sock.recvfrom(2048)
            except socket.timeout:
                break
            ihl = (data[0] & 0x0F) * 4
            kind, _, _, rid, rseq = struct.unpack_from("!BBHHH", data, ihl)
            if kind == 0 and src[0] == addr and rid == ident and rseq == seq and data[ihl + 8:] == payload:
                print(f"reply seq={seq} rtt_us={int((time.monotonic() - t0) * 1e6)}", flush=True)
                answered += 1
                break
    sys.exit(0 if answered == count else 1)


if __name__ == "__main__":
    main()
