#!/usr/bin/env python3
"""Datagrams larger than the namespace's MTU, so its kernel fragments them (DF off).
Usage: frag_probe.py udp4|udp6 ADDR PORT SIZE   (to a UDP echo server)
       frag_probe.py icmp ADDR SIZE             (ICMP echo over a raw socket; the image has no ping)
Prints "ok SIZE" when the whole reply came back identical within 3 s, exits 1 otherwise."""
import os
import socket
import struct
import sys

IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
IPV6_MTU_DISCOVER, IPV6_DONTFRAG = 23, 62


def checksum(data):
    data += b"\0" * (len(data) % 2)
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def pattern(size):
    return bytes((i * 31 + 7) & 0xFF for i in range(size))


def udp(family, addr, port, size):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, 0)
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_DONTFRAG, 0)
    s.settimeout(3)
    data = pattern(size)
    s.sendto(data, (addr, port))
    reply, _ = s.recvfrom(65535)
    return reply == data


def icmp(addr, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    s.settimeout(3)
    ident, payload = os.getpid() & 0xFFFF, pattern(size)
    head = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    s.sendto(struct.pack("!BBHHH", 8, 0, checksum(head + payload), ident, 1) + payload, (addr, 0))
    while True:
        data, src = s.recvfrom(65535)
        ihl = (data[0] & 0x0F) * 4
        kind, _, _, rid, _ = struct.unpack_from("!BBHHH", data, ihl)
        if kind == 0 and rid == ident:
            return data[ihl + 8:] == payload


def main():
    mode = sys.argv[1]
    try:
        if mode == "icmp":
            ok = icmp(sys.argv[2], int(sys.argv[3]))
        else:
            family = socket.AF_INET if mode == "udp4" else socket.AF_INET6
            ok = udp(family, sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    except socket.timeout:
        print("timeout", flush=True)
        sys.exit(1)
    print(("ok " if ok else "corrupt ") + sys.argv[-1], flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
