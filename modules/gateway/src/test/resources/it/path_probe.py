#!/usr/bin/env python3
"""What the namespace hears about a UDP path (PathErrorsIT): one line on stdout.

  path_probe.py udp HOST PORT SIZE   send SIZE bytes with DF (IP_PMTUDISC_DO) from a connected socket with
                                     IP_RECVERR, then print the first queued error as
                                     "origin=O type=T code=C info=I from=ADDR" and the socket's IP_MTU,
                                     or "none" when nothing came within 5 s.
"""
import select
import socket
import struct
import sys

IP_RECVERR = 11
IP_MTU_DISCOVER = 10
IP_PMTUDISC_DO = 2
IP_MTU = 14
MSG_ERRQUEUE = 0x2000


def first_error(s, timeout):
    p = select.poll()
    p.register(s, select.POLLERR)
    if not p.poll(timeout * 1000):
        return None
    _data, anc, _flags, _addr = s.recvmsg(512, 512, MSG_ERRQUEUE)
    for level, kind, data in anc:
        if level == socket.IPPROTO_IP and kind == IP_RECVERR:
            errno_, origin, typ, code, _pad, info, _d = struct.unpack("=IBBBBII", data[:16])
            offender = socket.inet_ntoa(data[20:24]) if len(data) >= 24 else "?"
            return "origin=%d type=%d code=%d info=%d from=%s" % (origin, typ, code, info, offender)
    return "no-recverr"


def udp(host, port, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
    s.connect((host, port))
    s.send(b"x" * size)
    err = first_error(s, 5)
    if err is None:
        print("none")
        return
    print(err, "mtu=%d" % s.getsockopt(socket.IPPROTO_IP, IP_MTU))


if __name__ == "__main__":
    if sys.argv[1] == "udp":
        udp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("unknown mode " + sys.argv[1])
