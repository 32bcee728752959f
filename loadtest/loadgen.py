"""Running wrk and h2load and reading their results. Latency percentiles for h2load come from its per-request log
(--log-file), because h2load itself prints only min/max/mean."""

import os
import re
import subprocess
import tempfile

UNITS_TIME = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def percentile(sorted_values, q):
    """Nearest-rank percentile (q in 0..100) of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, int(round(q / 100.0 * len(sorted_values) + 0.5 - 1e-9)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _run(argv, timeout):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {p.returncode}:\n{p.stdout[-2000:]}")
    return p.stdout


def header_args(headers):
    """-H "Name: value" for each of headers (a dict), as both wrk and h2load take them."""
    return [a for name, value in (headers or {}).items() for a in ("-H", f"{name}: {value}")]


def wrk(url, connections, threads, duration_s, timeout_pad=30, script=None, script_args=(), headers=None):
    """HTTP/1.1 keep-alive closed-loop load; returns req/s, p50/p99 (ms) and error counts.

    With script, wrk runs that Lua file with script_args after "--"; lines the script prints that start with
    "lua:" come back under "lua" (key=value pairs). headers (a dict) are sent on every request."""
    argv = wrk_argv(url, connections, threads, duration_s, script, script_args, headers)
    return parse_wrk(_run(argv, duration_s + timeout_pad), argv)


def wrk_argv(url, connections, threads, duration_s, script=None, script_args=(), headers=None):
    argv = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{duration_s}s",
            "--timeout", "10s"] + header_args(headers)
    if script:
        argv += ["-s", script]
    argv.append(url)
    if script:
        argv += ["--"] + [str(a) for a in script_args]
    return argv


def parse_wrk(out, argv):
    res = {"tool": "wrk", "argv": argv}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    res["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    res["requests"] = int(m.group(1)) if m else 0
    for q in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{q}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        res[f"p{q}_ms"] = float(m.group(1)) * UNITS_TIME[m.group(2)] if m else None
    socket_errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        socket_errors = sum(int(x) for x in m.groups())
    # wrk counts every status above 399 here (despite the wording).
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    non2xx = int(m.group(1)) if m else 0
    res["socket_errors"] = socket_errors
    res["non2xx"] = non2xx
    res["errors"] = socket_errors + non2xx
    if "-s" in argv:
        lua = {}
        for line in out.splitlines():
            if line.startswith("lua:"):
                for pair in line[4:].split():
                    k, _, v = pair.partition("=")
                    lua[k] = int(v) if v.lstrip("-").isdigit() else v
        res["lua"] = lua
    return res


def _parse_h2load(out):
    res = {}
    m = re.search(r"finished in ([\d.]+)(\w+), ([\d.]+) req/s", out)
    res["rps"] = float(m.group(3)) if m else 0.0
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored",
                  out)
    if m:
        res["requests"] = int(m.group(4))
        # Answered, whatever the status (succeeded counts only 2xx and 3xx): what a part refused on purpose counts.
        res["done"] = int(m.group(3))
        res["errors"] = int(m.group(5)) + int(m.group(6))
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    if m:
        res["errors"] = res.get("errors", 0) + int(m.group(3)) + int(m.group(4))
        # 3xx are not errors to h2load; a part that must see only 200s (auth.py: a redirect to a login page would be
        # a refused request) reads them here.
        res["status"] = dict(zip(("2xx", "3xx", "4xx", "5xx"), (int(x) for x in m.groups())))
    return res


def _log_latencies_ms(path, any_status=False):
    values = []
    with open(path) as f:
        for line in f:
            parts = line.split("\t")
            if len(parts) >= 3 and (any_status or parts[1].startswith("2")):
                values.append(int(parts[2]) / 1000.0)
    values.sort()
    return values


def h2load(url, clients, streams, threads, duration_s, warmup_s=1, h1=False, rps_per_client=None,
           timeout_pad=30, headers=None, any_status=False):
    """h2load in timing mode (-D); HTTP/2 unless h1. With rps_per_client, an open-loop-ish fixed rate per client.
    headers (a dict) are sent on every request. The percentiles are of 2xx answers, or with any_status of every
    answer (a route that refuses on purpose)."""
    with tempfile.NamedTemporaryFile(prefix="h2load-", suffix=".log", delete=False) as tmp:
        log_path = tmp.name
    try:
        argv = ["h2load", "-t", str(threads), "-c", str(clients), "-m", str(streams), "-D", str(duration_s),
                "--warm-up-time", str(warmup_s), "--log-file", log_path] + header_args(headers)
        if h1:
            argv.append("--h1")
        if rps_per_client is not None:
            argv += ["--rps", f"{rps_per_client:g}"]
        argv.append(url)
        out = _run(argv, duration_s + warmup_s + timeout_pad)
        res = {"tool": "h2load", "argv": [a if a != log_path else "LOG" for a in argv]}
        res.update(_parse_h2load(out))
        lat = _log_latencies_ms(log_path, any_status)
        res["logged"] = len(lat)
        res["max_ms"] = lat[-1] if lat else None
        for q in (50, 75, 90, 99, 99.9):
            key = f"p{q:g}_ms".replace(".", "_")
            res[key] = percentile(lat, q)
        m = re.search(r"Application protocol: (\S+)", out)
        res["protocol"] = m.group(1) if m else None
        return res
    finally:
        os.unlink(log_path)
