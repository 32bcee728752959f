"""Reading Gatehouse's signed audit log (docs/audit-log.md) from its files: the entries in an audit dir's segments.

A segment is seg-<first>.jsonl while open, seg-<first>-<last>-<from>-<to>.jsonl once sealed, then .jsonl.zst (zstd;
.jsonl.gz where the gateway could not load zstd, or from before it). Every
line is one canonical JSON object (RFC 8785: members sorted by name, no spaces, absent values left out, never null):
an entry (it has "seq" and "kind"; a request's kind is "request") or a checkpoint line {"checkpoint":"<note>"}.

Because a line is canonical, a member is always written as "name":<value> with a comma or brace on either side, and
no string value can hold an unescaped quote: ',"route":"guarded",' can only be that member. The parts read the
~1 GB a benchmark writes with such substring tests (member_needle), far faster than parsing every line.
"""

import gzip
import json
import os
import re
import shutil
import subprocess

SEGMENT = re.compile(r"seg-(\d{20})(?:-(\d{20})-\d{8}T\d{6}Z-\d{8}T\d{6}Z)?\.jsonl(\.gz|\.zst)?")
CHECKPOINT = b'{"checkpoint":'
REQUEST = b',"kind":"request",'


def segments(audit_dir):
    """The segment files of audit_dir in log order, one per range of entries: a sealed segment's plain file while
    it is there (the compressed copy is renamed into place only once it is complete, and the plain file removed
    after), as
    Gatehouse's own Segments.list chooses."""
    found = {}
    for name in os.listdir(audit_dir):
        m = SEGMENT.fullmatch(name)
        if not m:
            continue
        key = (int(m.group(1)), int(m.group(2)) if m.group(2) else -1)
        compressed = m.group(3) is not None
        if key not in found or found[key][0]:
            found[key] = (compressed, name)
    return [os.path.join(audit_dir, found[key][1]) for key in sorted(found)]


def _first(path):
    return int(SEGMENT.fullmatch(os.path.basename(path)).group(1))


class _Zstd:
    """A .zst segment's lines through the zstd command (Python 3.11 has no zstd module; Debian's zstd package)."""

    def __init__(self, path):
        if shutil.which("zstd") is None:
            raise OSError("reading a .zst audit segment needs the zstd command: apt-get install -y zstd")
        with open(path, "rb"):  # FileNotFoundError here, as for the other kinds, not from the child
            pass
        self.proc = subprocess.Popen(["zstd", "-q", "-dc", path], stdout=subprocess.PIPE)

    def __enter__(self):
        return self.proc.stdout

    def __exit__(self, *exc):
        self.proc.stdout.close()
        if self.proc.wait() != 0 and exc[0] is None:
            raise EOFError(f"zstd exited {self.proc.returncode}")


def _open_one(path):
    if path.endswith(".zst"):
        return _Zstd(path)
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _open(path, audit_dir):
    """The segment file, or, when the writer renamed it meanwhile (sealed, then compressed), what it became."""
    for _ in range(3):
        try:
            return _open_one(path)
        except FileNotFoundError:
            first = _first(path)
            now = [p for p in segments(audit_dir) if _first(p) == first]
            if not now:
                raise
            path = now[0]
    return _open_one(path)


def entry_lines(audit_dir):
    """Every entry line of the log (bytes, newline included), in log order, checkpoint lines left out. Safe on a log
    that is being written: a last line not yet ended is left out, a segment sealed while read is followed to its new
    name, and segments that appear meanwhile are read too."""
    done = -1  # the first seq of the last segment read
    while True:
        todo = [p for p in segments(audit_dir) if _first(p) > done]
        if not todo:
            return
        for path in todo:
            with _open(path, audit_dir) as f:
                for line in f:
                    if line.startswith(CHECKPOINT) or not line.endswith(b"\n"):
                        continue
                    yield line
            done = _first(path)


def member_needle(name, value):
    """The bytes of the member name: value inside a canonical line, with the comma before and after it (so the
    first and the last member of an object are not found this way: for a request entry those are bytes_in and
    time, upstream or tls_client_subject)."""
    return b',"' + name.encode() + b'":' + canonical(value) + b","


def absent_needle(name):
    """What a line holds only when it has the member name."""
    return b',"' + name.encode() + b'":'


def canonical(value):
    """value (a string, whole number, bool) as RFC 8785 writes it: for these, what json.dumps writes without
    ASCII escapes (only quote, backslash and control characters escaped, lowercase hex)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def count_requests(audit_dir, needle=None):
    """(request entries, those of them holding needle), or None when audit_dir cannot be read."""
    lines = hits = 0
    try:
        for line in entry_lines(audit_dir):
            if REQUEST in line:
                lines += 1
                if needle is not None and needle in line:
                    hits += 1
    except (OSError, EOFError):
        # EOFError: a compressed segment cut short, which Gatehouse never leaves (it renames a finished one into place).
        return None
    return lines, hits



def count_lines(path, needle):
    """For a plain JSON-lines log (nginx's, or Gatehouse's access.jsonl before the signed log): (lines, lines
    containing needle), or None when the file cannot be read."""
    lines = hits = 0
    tail = b""
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                buf = tail + chunk
                end = buf.rfind(b"\n") + 1  # whole lines only: a line cut by the chunk joins the next one
                lines += buf.count(b"\n", 0, end)
                hits += buf.count(needle, 0, end)
                tail = buf[end:]
    except OSError:
        return None
    return lines, hits
