#!/usr/bin/env python3
"""Opens N TLS keep-alive connections to a proxy, sends one HTTP/1.1 request on each and reads the whole response,
then keeps every connection open until stdin is closed (or a signal arrives).

Prints one line "ready OPEN FAILED" once all connections are established, so the caller can read the proxy's memory
while they are held. Python 3 stdlib only.

Usage: holdconns.py --port P [--count 1000] [--path /1k]
"""

import argparse
import resource
import socket
import ssl
import sys


def read_response(sock):
    """Reads one response with Content-Length (the benchmark's bodies always have one); returns the status."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response head")
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed mid-body")
        body += chunk
    return status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--path", default="/1k")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))

    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["http/1.1"])
    request = (f"GET {args.path} HTTP/1.1\r\nHost: localhost:{args.port}\r\nUser-Agent: holdconns\r\n\r\n").encode()

    held, failed = [], 0
    for _ in range(args.count):
        try:
            raw = socket.create_connection(("127.0.0.1", args.port), timeout=10)
            s = ctx.wrap_socket(raw, server_hostname="localhost")
            s.sendall(request)
            if read_response(s) != 200:
                failed += 1
            held.append(s)
        except (OSError, ConnectionError, ValueError):
            failed += 1
    print(f"ready {len(held)} {failed}", flush=True)
    try:
        sys.stdin.read()  # hold until the caller closes our stdin
    except KeyboardInterrupt:
        pass
    # Check the connections are still alive (not closed by the proxy) before letting go.
    alive = 0
    for s in held:
        try:
            s.setblocking(False)
            try:
                alive += 0 if s.recv(1) == b"" else 1
            except (ssl.SSLWantReadError, BlockingIOError):
                alive += 1
        except OSError:
            pass
        s.close()
    print(f"alive {alive}", flush=True)


if __name__ == "__main__":
    main()
