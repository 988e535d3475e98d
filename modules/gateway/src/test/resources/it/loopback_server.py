#!/usr/bin/env python3
"""A secret on the host's loopback only. Usage: loopback_server.py PORT.
TCP 127.0.0.1:PORT sends SECRET and closes; UDP 127.0.0.1:PORT echoes. Prints "ready" once both are bound."""
import socket
import sys
import threading

SECRET = b"tungate-host-loopback-secret\n"


def tcp(sock):
    while True:
        conn, _ = sock.accept()
        with conn:
            conn.sendall(SECRET)


def main():
    port = int(sys.argv[1])
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", port))
    t.listen(16)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", port))
    threading.Thread(target=tcp, args=(t,), daemon=True).start()
    print("ready", flush=True)
    while True:
        data, src = u.recvfrom(2048)
        u.sendto(data, src)


if __name__ == "__main__":
    main()
