#!/usr/bin/env python3
"""Attack and measurement clients for the reliability ITs (issue 8 items 2 and 3). Destinations are pinned by the
caller (the gateway address, which reaches the host's loopback). Every loop is bounded in time.
  sink-server HOST PORT          accept and never read (prints "ready")
  discard-server HOST PORT       read and discard, a thread per connection (prints "ready")
  backlog-server HOST PORT       listen and never accept (prints "ready")
  tiny-writer HOST PORT N SECS   N connections, MSS clamped, TCP_NODELAY, 64-byte writes until SECS; prints bytes
  echo-check HOST PORT BYTES     one connection: BYTES echoed back identical? prints "ok BYTES"
  bulk HOST PORT SECS            one connection sending as fast as it can; prints bytes/s per second, one a line
  connects HOST PORT N TIMEOUT   N sequential connects (each closed at once); prints "ok K"
  synflood DST PORT SECS SRCBASE raw SYNs from 64 spoofed sources SRCBASE.10-73 to DST:PORT; prints "sent N"
"""
import os, random, socket, struct, sys, time

def listen(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(4096)
    return s

def sink_server(host, port):
    s = listen(host, port)
    print("ready", flush=True)
    held = []
    while True:
        c, _ = s.accept()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        held.append(c)

def discard_server(host, port):
    import threading
    s = listen(host, port)
    print("ready", flush=True)
    def drain(c):
        while c.recv(1 << 20):
            pass
        c.close()
    while True:
        c, _ = s.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()

def backlog_server(host, port):
    s = listen(host, port)
    print("ready", flush=True)
    while True:
        time.sleep(3600)

def tiny_writer(host, port, n, secs):
    socks = []
    for _ in range(n):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 88)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.connect((host, port))
        c.setblocking(False)
        socks.append(c)
    chunk, total, end = b"x" * 64, 0, time.time() + secs
    idle_since = time.time()
    while time.time() < end and time.time() - idle_since < 3:
        moved = False
        for c in socks:
            try:
                total += c.send(chunk)
                moved = True
            except BlockingIOError:
                pass
        if moved:
            idle_since = time.time()
        else:
            time.sleep(0.01)
    print(total, flush=True)

def echo_check(host, port, nbytes):
    data = os.urandom(nbytes)
    c = socket.create_connection((host, port), timeout=20)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    got = bytearray()
    while True:
        b = c.recv(65536)
        if not b:
            break
        got += b
    print("ok %d" % nbytes if bytes(got) == data else "mismatch %d of %d" % (len(got), nbytes), flush=True)

def bulk(host, port, secs):
    c = socket.create_connection((host, port), timeout=10)
    buf = b"\0" * 65536
    end, t, n = time.time() + secs, time.time(), 0
    while time.time() < end:
        n += c.send(buf)
        if time.time() - t >= 1:
            print(int(n / (time.time() - t)), flush=True)
            t, n = time.time(), 0
    c.close()

def connects(host, port, n, timeout):
    ok = 0
    for _ in range(n):
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            ok += 1
        except OSError:
            pass
        time.sleep(0.05)
    print("ok %d" % ok, flush=True)

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF

def synflood(dst, port, secs, srcbase):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    d = socket.inet_aton(dst)
    srcs = [socket.inet_aton("%s.%d" % (srcbase, 10 + i)) for i in range(64)]
    end, sent = time.time() + secs, 0
    while time.time() < end:
        for _ in range(256):
            src = random.choice(srcs)
            sport, seq = random.randint(1024, 65535), random.getrandbits(32)
            opts = struct.pack("!BBH", 2, 4, 1460)
            tcp = struct.pack("!HHIIBBHHH", sport, port, seq, 0, 6 << 4, 0x02, 64240, 0, 0) + opts
            c = csum(src + d + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)
            tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0, src, d)
            try:
                s.sendto(ip + tcp, (dst, 0))
                sent += 1
            except OSError:
                pass
    print("sent %d" % sent, flush=True)

if __name__ == "__main__":
    cmd, a = sys.argv[1], sys.argv[2:]
    {"sink-server": lambda: sink_server(a[0], int(a[1])),
     "discard-server": lambda: discard_server(a[0], int(a[1])),
     "backlog-server": lambda: backlog_server(a[0], int(a[1])),
     "tiny-writer": lambda: tiny_writer(a[0], int(a[1]), int(a[2]), float(a[3])),
     "echo-check": lambda: echo_check(a[0], int(a[1]), int(a[2])),
     "bulk": lambda: bulk(a[0], int(a[1]), float(a[2])),
     "connects": lambda: connects(a[0], int(a[1]), int(a[2]), float(a[3])),
     "synflood": lambda: synflood(a[0], int(a[1]), float(a[2]), a[3])}[cmd]()
