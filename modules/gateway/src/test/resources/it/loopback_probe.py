#!/usr/bin/env python3
"""Tries to reach a host service from the namespace over TCP, UDP and ICMP echo. Usage: loopback_probe.py ADDR PORT.
Prints one line per protocol: "tcp reached" / "tcp refused <errno name>" / "tcp silent", "udp reached" /
"udp refused <errno name>" / "udp silent", "icmp reached" / "icmp unreachable code=N" / "icmp silent".
Always exits 0; the test reads the lines."""
import errno
import os
import socket
import struct
import sys
import time

TIMEOUT = 3


def tcp(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    try:
        s.connect((addr, port))
        data = s.recv(100)
        return "tcp reached" if data else "tcp closed"
    except socket.timeout:
        return "tcp silent"
    except OSError as e:
        return "tcp refused " + errno.errorcode.get(e.errno, str(e.errno))
    finally:
        s.close()


def udp(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.connect((addr, port))
    try:
        s.send(b"tungate-probe")
        data = s.recv(100)
        return "udp reached" if data == b"tungate-probe" else "udp garbled"
    except socket.timeout:
        return "udp silent"
    except OSError as e:
        return "udp refused " + errno.errorcode.get(e.errno, str(e.errno))
    finally:
        s.close()


def checksum(data):
    data += b"\0" * (len(data) % 2)
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def icmp(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    ident, seq, payload = os.getpid() & 0xFFFF, 1, b"tungate-probe"
    head = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    s.sendto(struct.pack("!BBHHH", 8, 0, checksum(head + payload), ident, seq) + payload, (addr, 0))
    t0 = time.monotonic()
    while time.monotonic() - t0 < TIMEOUT:
        s.settimeout(max(0.01, TIMEOUT - (time.monotonic() - t0)))
        try:
            data, src = s.recvfrom(2048)
        except socket.timeout:
            break
        ihl = (data[0] & 0x0F) * 4
        kind, code = data[ihl], data[ihl + 1]
        if kind == 0 and struct.unpack_from("!H", data, ihl + 4)[0] == ident:
            return "icmp reached"
        if kind == 3:
            return f"icmp unreachable code={code}"
    return "icmp silent"


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    for line in (tcp(addr, port), udp(addr, port), icmp(addr)):
        print(line, flush=True)


if __name__ == "__main__":
    main()
