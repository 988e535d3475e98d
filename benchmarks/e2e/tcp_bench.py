#!/usr/bin/env python3
"""TCP micro-workloads for the end-to-end comparison.
  server HOST PORT              single-threaded selectors echo server; closes a connection at its EOF
  connrate HOST PORT N SECONDS  N sequential short connections (connect, 1 byte each way, close); prints conns/s
  rr HOST PORT N                one connection, TCP_NODELAY, N one-byte round trips; prints median and p99 in us
"""
import selectors
import socket
import statistics
import sys
import time


def server(host, port):
    sel = selectors.DefaultSelector()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1024)
    srv.setblocking(False)
    sel.register(srv, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj is srv:
                conn, _ = srv.accept()
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)
                continue
            try:
                data = key.fileobj.recv(65536)
            except ConnectionError:
                data = b""
            if data:
                key.fileobj.sendall(data)
            else:
                sel.unregister(key.fileobj)
                key.fileobj.close()


def connrate(host, port, n, seconds):
    done, t0 = 0, time.monotonic()
    while done < n and time.monotonic() - t0 < seconds:
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"x")
        if s.recv(1) != b"x":
            sys.exit("bad echo")
        s.close()
        done += 1
    print(f"{done / (time.monotonic() - t0):.0f}")


def rr(host, port, n):
    s = socket.create_connection((host, port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        s.sendall(b"x")
        if s.recv(1) != b"x":
            sys.exit("bad echo")
        samples.append((time.perf_counter_ns() - t0) / 1000)
    s.close()
    samples.sort()
    print(f"{statistics.median(samples):.1f} {samples[int(len(samples) * 0.99)]:.1f}")


if __name__ == "__main__":
    cmd, host, port, *rest = sys.argv[1:]
    if cmd == "server":
        server(host, int(port))
    elif cmd == "connrate":
        connrate(host, int(port), int(rest[0]), float(rest[1]))
    elif cmd == "rr":
        rr(host, int(port), int(rest[0]))
    else:
        sys.exit("unknown command " + cmd)
