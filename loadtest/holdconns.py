#!/usr/bin/env python3
"""Opens N TLS keep-alive connections to a proxy, completes one HTTP/1.1 request and its whole response on each,
then holds every connection idle (nothing more is sent or read) until stdin is closed or a signal arrives.

At most --parallel connections are between connect and their response at any time: non-blocking sockets on one
selector, so 10,000 connections open in seconds from one thread, and the proxy sees a steady stream of handshakes
rather than 10,000 at once. A connection that fails (refused, reset, closed, not 200, no answer within --timeout)
is counted by cause and closed.

Prints one JSON line {"ready": OPEN, "failed": N, "seconds": S, "errors": {CAUSE: N}} once every connection is
open or has failed, so the caller can read the proxy's memory while they are held; then, after stdin closes,
{"alive": N}: how many the proxy had not closed meanwhile. Exits 2 with a message on stderr when the open-file
limit cannot be raised to N + 64. Python 3 stdlib only.

Usage: holdconns.py --port P [--count 1000] [--path /1k] [--parallel 200]
"""

import argparse
import collections
import errno
import json
import selectors
import socket
import ssl
import sys
import time

import targets


class ClosedEarly(Exception):
    """The proxy closed the connection before the whole first response arrived."""


class Connection:
    """One connection's way from connect to a complete first response; step() advances it on readiness."""

    def __init__(self, addr, ctx, request, deadline):
        self.ctx, self.request, self.deadline = ctx, request, deadline
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        err = self.sock.connect_ex(addr)
        if err not in (0, errno.EINPROGRESS):
            self.sock.close()
            raise OSError(err, errno.errorcode.get(err, str(err)))
        self.state, self.sent, self.buf = "connect", 0, b""

    def step(self):
        """Returns the events to wait for next, or None once the response is complete (then .status is set)."""
        if self.state == "connect":
            err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                raise OSError(err, errno.errorcode.get(err, str(err)))
            self.sock = self.ctx.wrap_socket(self.sock, server_hostname="localhost", do_handshake_on_connect=False)
            self.state = "handshake"
        try:
            if self.state == "handshake":
                self.sock.do_handshake()
                self.state = "request"
            if self.state == "request":
                self.sent += self.sock.send(self.request[self.sent:])
                if self.sent < len(self.request):
                    return selectors.EVENT_WRITE
                self.state = "response"
            return self.read_response()
        except ssl.SSLWantReadError:
            return selectors.EVENT_READ
        except ssl.SSLWantWriteError:
            return selectors.EVENT_WRITE

    def read_response(self):
        # Drain everything TLS has decrypted: a record may hold more than the socket's readiness says.
        while True:
            chunk = self.sock.recv(65536)  # raises SSLWantReadError when nothing more is there yet
            if not chunk:
                raise ClosedEarly()
            self.buf += chunk
            status = complete_status(self.buf)
            if status is not None:
                self.status = status
                return None


def complete_status(buf):
    """The status once buf holds a whole response with Content-Length (the benchmark's bodies have one), else None."""
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.split(b"\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return int(lines[0].split()[1]) if len(body) >= length else None


def cause(exc):
    """A short, stable name for why a connection failed, to count them by."""
    if isinstance(exc, ssl.SSLError):  # its errno is OpenSSL's error kind, not an errno
        return f"{type(exc).__name__} {exc.reason or ''}".strip()
    if isinstance(exc, OSError) and exc.errno in errno.errorcode:
        return errno.errorcode[exc.errno]
    return type(exc).__name__


def open_all(args, ctx, request):
    """Opens args.count connections, at most args.parallel in progress; returns (held sockets, Counter of causes)."""
    sel = selectors.DefaultSelector()
    addr = ("127.0.0.1", args.port)
    held, errors, started = [], collections.Counter(), 0
    in_flight = {}  # fd -> Connection

    def finish(conn, error=None):
        sel.unregister(conn.sock)
        del in_flight[conn.sock.fileno()]
        if error is None and conn.status == 200:
            held.append(conn.sock)  # unregistered: from now on idle, nothing is read or written
            return
        errors[error or f"status {conn.status}"] += 1
        conn.sock.close()

    def advance(conn):
        try:
            events = conn.step()
        except (OSError, ClosedEarly, ValueError, IndexError) as e:
            finish(conn, cause(e))
            return
        if events is None:
            finish(conn)
        else:
            sel.modify(conn.sock, events, conn)  # wrap_socket made a new object for the same fd

    while started < args.count or in_flight:
        while started < args.count and len(in_flight) < args.parallel:
            started += 1
            try:
                conn = Connection(addr, ctx, request, time.monotonic() + args.timeout)
            except OSError as e:
                errors[cause(e)] += 1
                continue
            in_flight[conn.sock.fileno()] = conn
            sel.register(conn.sock, selectors.EVENT_WRITE, conn)
        for key, _ in sel.select(timeout=0.5):
            advance(key.data)
        now = time.monotonic()
        for conn in [c for c in in_flight.values() if c.deadline < now]:
            finish(conn, "timeout")
    sel.close()
    return held, errors


def count_alive(held):
    """Connections the proxy has not closed: a non-blocking read finds no data and no end of stream."""
    alive = 0
    for s in held:
        try:
            alive += 0 if s.recv(1) == b"" else 1
        except (ssl.SSLWantReadError, BlockingIOError):
            alive += 1
        except OSError:
            pass
        s.close()
    return alive


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--path", default="/1k")
    ap.add_argument("--parallel", type=int, default=200, help="connections in handshake or first request at once")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds a connection may take to its response")
    args = ap.parse_args()
    try:
        targets.raise_open_files(args.count + 64)  # the held sockets, the selector, stdio
    except RuntimeError as e:
        print(f"holdconns: {e}", file=sys.stderr)
        sys.exit(2)

    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["http/1.1"])
    request = (f"GET {args.path} HTTP/1.1\r\nHost: localhost:{args.port}\r\nUser-Agent: holdconns\r\n\r\n").encode()

    t0 = time.monotonic()
    held, errors = open_all(args, ctx, request)
    print(json.dumps({"ready": len(held), "failed": sum(errors.values()), "seconds": round(time.monotonic() - t0, 2),
                      "errors": dict(errors)}), flush=True)
    try:
        sys.stdin.read()  # hold until the caller closes our stdin
    except KeyboardInterrupt:
        pass
    print(json.dumps({"alive": count_alive(held)}), flush=True)


if __name__ == "__main__":
    main()
