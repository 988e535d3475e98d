#!/usr/bin/env python3
"""TCP behaviours checked from inside the namespace, and the loopback servers they talk to.

  halfclose-server HOST PORT    accept one connection, read to EOF, then reply "<bytes> <sha256>" and close
  halfclose-client HOST PORT N  send N bytes, shutdown(SHUT_WR), print what comes back until EOF
  connect HOST PORT TIMEOUT     print "ok", "errno NAME" or "timeout", then the elapsed ms
  echo-server HOST PORT         selectors echo server for many connections; closes a connection at its EOF, or
                                right after echoing a message that ends in "!" (the server closes first)
  many-client HOST PORT N T     open N connections at once, echo 17 bytes on each, close each with a FIN
                                handshake: even ones close first (SHUT_WR, await EOF), odd ones let the server
                                close first (their message ends in "!"); print "ok N" or what went wrong, within T s
Servers print "ready" once listening."""
import errno
import hashlib
import os
import selectors
import socket
import sys
import time


def listen(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1024)
    print("ready", flush=True)
    return srv


def halfclose_server(host, port):
    conn, _ = listen(host, port).accept()
    digest, total = hashlib.sha256(), 0
    while chunk := conn.recv(65536):
        digest.update(chunk)
        total += len(chunk)
    conn.sendall(f"{total} {digest.hexdigest()}\n".encode())
    conn.close()


def halfclose_client(host, port, n):
    data = os.urandom(n)
    sock = socket.create_connection((host, port), timeout=30)
    sock.sendall(data)
    sock.shutdown(socket.SHUT_WR)
    reply = b""
    while chunk := sock.recv(65536):
        reply += chunk
    print(f"sent {n} {hashlib.sha256(data).hexdigest()}")
    print(f"got {reply.decode().strip()}")


def connect(host, port, timeout):
    t0 = time.monotonic()
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.settimeout(timeout)
    try:
        sock.connect((host, port))
        outcome = "ok"
    except socket.timeout:
        outcome = "timeout"
    except OSError as e:
        outcome = "errno " + errno.errorcode.get(e.errno, str(e.errno))
    print(f"{outcome} {int((time.monotonic() - t0) * 1000)}")


def echo_server(host, port):
    sel = selectors.DefaultSelector()
    srv = listen(host, port)
    srv.setblocking(False)
    sel.register(srv, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj is srv:
                conn, _ = srv.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)
                continue
            try:
                data = key.fileobj.recv(65536)
            except ConnectionError:
                data = b""
            if data:
                key.fileobj.sendall(data)
            if not data or data.endswith(b"!"):
                sel.unregister(key.fileobj)
                key.fileobj.close()


def many_client(host, port, n, limit):
    deadline = time.monotonic() + limit
    sel = selectors.DefaultSelector()
    socks = []
    for i in range(n):
        s = socket.socket(socket.AF_INET)
        s.setblocking(False)
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_WRITE, i)
        socks.append(s)
    # Phase 1: every connect completes before any data flows, so all n are open at the same time.
    pending = set(range(n))
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            err = key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                sys.exit(f"connect {key.data} failed: {errno.errorcode.get(err, err)}")
            sel.unregister(key.fileobj)
            pending.discard(key.data)
    if pending:
        sys.exit(f"{len(pending)} of {n} connects still pending at the deadline")
    # Phase 2: echo on each, then SHUT_WR and read to EOF: a clean FIN in both directions.
    want = {i: f"conn-{i:011d}{'!' if i % 2 else '.'}".encode() for i in range(n)}
    got = {i: b"" for i in range(n)}
    for i, s in enumerate(socks):
        s.sendall(want[i])
        sel.register(s, selectors.EVENT_READ, i)
    open_ = set(range(n))
    while open_ and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            i = key.data
            data = key.fileobj.recv(4096)
            if data:
                got[i] += data
                if got[i] == want[i] and i % 2 == 0:
                    key.fileobj.shutdown(socket.SHUT_WR)
            else:
                if got[i] != want[i]:
                    sys.exit(f"connection {i}: echoed {got[i]!r}, wanted {want[i]!r}")
                sel.unregister(key.fileobj)
                key.fileobj.close()
                open_.discard(i)
    if open_:
        sys.exit(f"{len(open_)} of {n} connections not closed by the deadline")
    print(f"ok {n}")


if __name__ == "__main__":
    cmd, host, port, *rest = sys.argv[1:]
    port = int(port)
    if cmd == "halfclose-server":
        halfclose_server(host, port)
    elif cmd == "halfclose-client":
        halfclose_client(host, port, int(rest[0]))
    elif cmd == "connect":
        connect(host, port, float(rest[0]))
    elif cmd == "echo-server":
        echo_server(host, port)
    elif cmd == "many-client":
        many_client(host, port, int(rest[0]), float(rest[1]))
    else:
        sys.exit("unknown command " + cmd)
