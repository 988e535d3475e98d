#!/usr/bin/env python3
"""HTTP upload sink: answers each POST/PUT with "<sha256 hex> <length>" of the body it read, storing nothing.
Usage: upload_sink.py HOST PORT. Prints "ready" once listening."""
import hashlib
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        left = int(self.headers.get("Content-Length", "0"))
        digest, total = hashlib.sha256(), 0
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 20))
            if not chunk:
                break
            digest.update(chunk)
            total += len(chunk)
            left -= len(chunk)
        body = f"{digest.hexdigest()} {total}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Sink)
    print("ready", flush=True)
    server.serve_forever()
