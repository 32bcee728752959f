"""The rate-limit part of the benchmark (--only ratelimit): what a route's rate limit costs Gatehouse, on the local
store and on the Redis store, measured against the same route without one (issue 13's goals).

Two gateways of their own with conf/gatehouse-ratelimit.yaml, the same four routes to the static upstream's 1 KiB
file on each, the same allow list and nothing else, so only the limits differ:
  /unlimited/   no rate_limit (no rate-limit guard at all): the baseline
  /limited/     { key: client_ip, rate: 1000000/s, burst: 1000000 }: checked on every request, never refuses
  /two-limits/  that limit and { key: route, ... } the same: two buckets in one store call
  /flood/       { key: client_ip, rate: 1/h, burst: 1 }: every request comes from 127.0.0.1, so after the part's
                first request (route check, below) every answer is 429 rate_limited
One gateway keeps its buckets in the local store (rate_limits.store: local), the other in Redis (store: redis and a
top-level redis: section) on a redis-server this part starts on loopback (no persistence); its /limited/ is the
series "redis".

Measured, the throughput part's settings and tools, interleaved over --rounds rounds (HTTP/1.1 then HTTP/2, each
series back to back, the order reversed every round):
  1. Throughput: limited/unlimited and two_limits/unlimited req/s >= 0.97 on both protocols (the ratio per round, its
     median), with Gatehouse's CPU per request (its /proc utime+stime over the run / responses) and what a limit
     adds to it. The Redis gateway's /limited/ runs in the same rounds (its req/s, its CPU and redis-server's).
  2. Added latency of the Redis store at half capacity: half the median HTTP/1.1 req/s of /limited/ (local store) in
     this run's rounds, held by h2load --h1 --rps (as the fixed-rate part does) on the local gateway's /unlimited/
     and /limited/ and the Redis gateway's /limited/, interleaved; p50/p99/p99.9 of each and the Redis - local
     differences (per round, their median). Goal: p99 added <= 1 ms.
  3. The flood: /flood/ answered 429 to every request vs /unlimited/ answering 200: Gatehouse's CPU per request of
     each (goal: the refusal costs less) and requests/s.

Checked, or the part fails (exit 3): before measuring, each route answers as configured (200 with the whole body;
/flood/ 200 once, then 429 rate_limited on the same keep-alive connection, which stays open: a refusal that closed it
would measure TLS handshakes), and the Redis gateway's check reached Redis. In every run, no error (for the flood: no
answer but 4xx), and the gateway's gatehouse_rate_limit_checks_total grew by at least the responses counted, for
each of the route's keys (allowed, or limited for the flood; never limited on the generous routes), with no store
error; on the Redis gateway redis-server's script calls (INFO commandstats) grew as much too.
"""

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import time
import urllib.request

import loadgen
from figures import med, stats
import targets
from targets import cpu_ticks

ROUTES = {"unlimited": "/unlimited/", "limited": "/limited/", "two_limits": "/two-limits/", "flood": "/flood/"}
# Each series: (gateway, route name in the config and the metrics, path prefix).
SERIES = {"unlimited": ("local", "unlimited", ROUTES["unlimited"]),
          "limited": ("local", "limited", ROUTES["limited"]),
          "two_limits": ("local", "two-limits", ROUTES["two_limits"]),
          "flood": ("local", "flood", ROUTES["flood"]),
          "redis": ("redis", "limited", ROUTES["limited"])}
ORDER = ("unlimited", "limited", "two_limits", "redis", "flood")
# The rate-limit keys each series' route checks (gatehouse_rate_limit_checks_total's key label).
KEYS = {"unlimited": (), "limited": ("client_ip",), "two_limits": ("client_ip", "route"), "flood": ("client_ip",),
        "redis": ("client_ip",)}
# The fixed-rate measurement: the local store with and without a limit, and the Redis store.
FIXED_ORDER = ("unlimited", "limited", "redis")
GATEWAYS = ("local", "redis")
PROTOCOLS = ("h1", "h2")
PROTOCOL_LABELS = {"h1": "HTTP/1.1", "h2": "HTTP/2"}
RATIO_GOAL = 0.97  # limited/unlimited and two_limits/unlimited req/s
REDIS_P99_GOAL_MS = 1.0  # Redis store p99 - local store p99 at half capacity
STORE_SECTIONS = {
    "local": 'rate_limits:\n  store: "local"',
    "redis": 'redis:\n  url: "redis://127.0.0.1:@@REDIS_PORT@@"\nrate_limits:\n  store: "redis"',
}
SETUP = {"config": "conf/gatehouse-ratelimit.yaml", "routes": ROUTES,
         "series": {k: {"gateway": v[0], "route": v[1]} for k, v in SERIES.items()},
         "limits": {"limited": "client_ip 1000000/s burst 1000000",
                    "two_limits": "client_ip and route, each 1000000/s burst 1000000",
                    "flood": "client_ip 1/h burst 1 (every answer 429 after the first)"},
         "redis": "redis-server --bind 127.0.0.1 --save '' --appendonly no (own instance, loopback)"}


class ScenarioFailed(RuntimeError):
    """A route did not behave as configured, or a run got answers it should not: its figures would mean nothing."""


def redis_call(port, *args):
    """One command to the redis-server on loopback port, its decoded RESP reply (errors raise)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        parts = [a.encode() if isinstance(a, str) else a for a in args]
        s.sendall(b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts))
        with s.makefile("rb") as f:
            return _resp(f)


def _resp(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise RuntimeError(f"redis: truncated reply {line!r}")
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RuntimeError(f"redis: {rest.decode()}")
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        return None if n < 0 else f.read(n + 2)[:-2].decode()
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [_resp(f) for _ in range(n)]
    raise RuntimeError(f"redis: unexpected reply {line!r}")


def script_calls(port):
    """EVALSHA + EVAL calls redis-server has served (INFO commandstats): the Redis store's one script per check."""
    info = redis_call(port, "INFO", "commandstats")
    return sum(int(m.group(1)) for m in re.finditer(r"^cmdstat_eval(?:sha)?:calls=(\d+)", info, re.M))


def rate_limit_metrics(admin_port):
    """From the gateway's admin /metrics: checks {(route, key, result): n} and store errors {route: n}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=5) as r:
        text = r.read().decode()
    checks, errors = {}, {}
    for line in text.splitlines():
        for name, out in (("gatehouse_rate_limit_checks_total", checks),
                          ("gatehouse_rate_limit_store_errors_total", errors)):
            if line.startswith(name + "{"):
                labels = dict(re.findall(r'(\w+)="([^"]*)"', line[:line.rindex("}")]))
                value = int(float(line.rsplit(" ", 1)[1]))
                if out is checks:
                    key = (labels.get("route"), labels.get("key"), labels.get("result"))
                else:
                    key = labels.get("route")
                out[key] = out.get(key, 0) + value
    return checks, errors


class RateLimitScenario:
    """Starts redis-server and the two gateways, checks the routes, runs the rounds and the fixed rate; every run is
    kept raw in self.runs. Uses the bench's Processes, so whatever it started is stopped however the run ends."""

    def __init__(self, args, procs, work, certs, upstream_port, log):
        self.a = args
        self.procs = procs
        self.work = os.path.join(work, "ratelimit")
        self.certs = certs
        self.cafile = os.path.join(certs, "ca.crt")
        self.upstream_port = upstream_port
        self.log = log
        self.runs = []
        self.info = {}
        self.gateways = {}
        self.redis = None

    # ---- servers ---------------------------------------------------------------------------------------------
    def start(self):
        os.makedirs(self.work, exist_ok=True)
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        port = targets.free_port()
        rdir = os.path.join(self.work, "redis")
        os.makedirs(rdir, exist_ok=True)
        argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", rdir]
        proc = self.procs.start("redis-server", argv, os.path.join(rdir, "redis.log"))
        targets.wait_until(lambda: redis_call(port, "PING") == "PONG", "redis-server", 20, proc)
        version = re.search(r"^redis_version:(\S+)", redis_call(port, "INFO", "server"), re.M)
        self.redis = {"proc": proc, "port": port, "argv": argv, "version": version.group(1) if version else None}
        for name in GATEWAYS:
            store = STORE_SECTIONS[name].replace("@@REDIS_PORT@@", str(port))
            self.gateways[name] = targets.launch_gatehouse(
                self.procs, os.path.join(self.work, f"gatehouse-{name}"), f"gatehouse-ratelimit-{name}",
                "gatehouse-ratelimit.yaml", self.certs, {"UPSTREAM_PORT": self.upstream_port, "STORE": store},
                self.a.jar, self.a.jvm_flags.split(), {}, ROUTES["unlimited"] + "1k")
        self.info.update({"redis": {"version": self.redis["version"], "argv": argv[1:]},
                          "tls": targets.negotiated(self.gateways["local"]["port"], ["h2", "http/1.1"])})
        self.log(f"ratelimit: redis-server {self.redis['version']} :{port}, Gatehouse local store "
                 f":{self.gateways['local']['port']}, Redis store :{self.gateways['redis']['port']}")

    def stop(self):
        for g in self.gateways.values():
            self.procs.stop(g["proc"])
        if self.redis:
            self.procs.stop(self.redis["proc"])

    # ---- checks ----------------------------------------------------------------------------------------------
    def connection(self, gateway):
        ctx = ssl.create_default_context(cafile=self.cafile)
        return http.client.HTTPSConnection("127.0.0.1", self.gateways[gateway]["port"], context=ctx, timeout=10)

    @staticmethod
    def get(conn, path):
        """(status, headers, body, kept open) of one GET on conn, as an API client sends it (JSON refusals)."""
        conn.request("GET", path, headers={"Accept": "application/json"})
        r = conn.getresponse()
        body = r.read()
        return r.status, r.headers, body, not r.will_close

    def check_routes(self):
        """Before measuring: every route answers as configured, the flood's refusal keeps its connection open, and
        the Redis gateway's limit is kept in Redis."""
        got, problems = {}, []
        for series in ("unlimited", "limited", "two_limits", "redis"):
            gateway, _, prefix = SERIES[series]
            conn = self.connection(gateway)
            try:
                calls = script_calls(self.redis["port"]) if gateway == "redis" else None
                status, _, body, _ = self.get(conn, prefix + "1k")
                got[series] = status
                if status != 200 or len(body) != targets.BODIES["1k"]:
                    problems.append(f"{series}: {prefix}1k answered {status} with {len(body)} bytes, expected 200 "
                                    "with 1024")
                if calls is not None:
                    # (Its bucket is gone from Redis a millisecond later: a key lives until its bucket would be full
                    # again, one token of a million a second.)
                    got["redis_script_calls"] = made = script_calls(self.redis["port"]) - calls
                    if made < 1:
                        problems.append(f"redis: {prefix}1k made no script call: the Redis gateway does not keep "
                                        "its buckets in Redis")
            finally:
                conn.close()
        # One keep-alive connection: the one token, then refusals on the same socket.
        conn = self.connection("local")
        try:
            flood = [self.get(conn, ROUTES["flood"] + "1k") for _ in range(3)]
        finally:
            conn.close()
        got["flood"] = [status for status, _, _, _ in flood]
        if got["flood"] != [200, 429, 429]:
            problems.append(f"flood: answered {got['flood']}, expected [200, 429, 429] (one request an hour)")
        else:
            status, headers, body, kept = flood[1]
            try:
                code = json.loads(body).get("error")
            except ValueError:
                code = None
            if code != "rate_limited" or not headers.get("Retry-After"):
                problems.append(f"flood: the refusal was {code!r} with Retry-After {headers.get('Retry-After')!r}, "
                                "expected rate_limited with a Retry-After")
            if not (kept and flood[2][3]):
                problems.append("flood: a 429 closed its keep-alive connection (Connection: close); the flood would "
                                "measure TLS handshakes, not refusals")
        if problems:
            raise ScenarioFailed("the rate-limit routes do not behave as configured: " + "; ".join(problems))
        self.info["checks"] = got
        self.log(f"ratelimit routes checked: {got}")

    # ---- runs ------------------------------------------------------------------------------------------------
    def load(self, series, proto, duration, warmup=False, rps_per_client=None):
        """One run of series over proto: saturating (wrk, h2load as the throughput part), or with rps_per_client at
        a fixed rate (h2load --h1 --rps over --rate-clients connections, as the fixed-rate part)."""
        a = self.a
        gateway, route, prefix = SERIES[series]
        g = self.gateways[gateway]
        url = f"https://127.0.0.1:{g['port']}{prefix}1k"
        pid, redis_pid = g["proc"].pid, self.redis["proc"].pid
        checks0, errors0 = rate_limit_metrics(g["admin_port"])
        calls0 = script_calls(self.redis["port"]) if gateway == "redis" else None
        c0, r0, t0 = cpu_ticks(pid), cpu_ticks(redis_pid), time.monotonic()
        try:
            if rps_per_client is not None:
                res = loadgen.h2load(url, a.rate_clients, 1, a.threads, duration, warmup_s=1, h1=True,
                                     rps_per_client=rps_per_client)
            elif proto == "h1":
                res = loadgen.wrk(url, a.connections, a.threads, duration)
            else:
                # The flood's percentiles are of its 429s (wrk's are of every answer anyway).
                res = loadgen.h2load(url, a.h2_clients, a.h2_streams, a.threads, duration, warmup_s=1,
                                     any_status=series == "flood")
        except RuntimeError as e:
            raise ScenarioFailed(f"{series} {PROTOCOL_LABELS[proto]}: {e}") from None
        c1, r1, t1 = cpu_ticks(pid), cpu_ticks(redis_pid), time.monotonic()
        checks1, errors1 = rate_limit_metrics(g["admin_port"])
        hz = os.sysconf("SC_CLK_TCK")
        # Answers of any status: wrk counts them all in requests; h2load counts only 2xx and 3xx as succeeded.
        responses = res.get("done", 0) if res["tool"] == "h2load" else res.get("requests", 0)
        res.update({"series": series, "gateway": gateway, "route": route, "proto": proto, "warmup": warmup,
                    "mode": "fixed" if rps_per_client is not None else "saturate", "responses": responses,
                    "wall_s": round(t1 - t0, 2), "cpu_s": (c1 - c0) / hz, "redis_cpu_s": (r1 - r0) / hz,
                    "checks": {f"{key}:{result}": checks1.get((route, key, result), 0)
                               - checks0.get((route, key, result), 0)
                               for key in KEYS[series] for result in ("allowed", "limited")},
                    "store_errors": errors1.get(route, 0) - errors0.get(route, 0)})
        if calls0 is not None:
            res["redis_script_calls"] = script_calls(self.redis["port"]) - calls0
        if responses:
            res["cpu_us_per_req"] = res["cpu_s"] * 1e6 / responses
            res["redis_cpu_us_per_req"] = res["redis_cpu_s"] * 1e6 / responses
        self.check(res)
        return res

    @staticmethod
    def check(res):
        series, problems = res["series"], []
        responses = res["responses"]
        if not responses:
            problems.append("no request completed")
        if series == "flood":
            if res["tool"] == "wrk":
                # wrk's "Non-2xx or 3xx" counts every status from 400 up.
                passed = res.get("requests", 0) - res.get("non2xx", 0)
                other = res.get("socket_errors", 0)
            else:
                st = res.get("status") or {}
                passed = st.get("2xx", 0) + st.get("3xx", 0)
                other = st.get("5xx", 0) + max(0, responses - sum(st.values()))
            if passed:
                problems.append(f"{passed} requests let through (the flood must be refused)")
            if other:
                problems.append(f"{other} socket errors or 5xx answers")
        elif res.get("errors"):
            problems.append(f"{res['errors']} errors (non-2xx or socket errors)")
        expected = "limited" if series == "flood" else "allowed"
        for key in KEYS[series]:
            counted = res["checks"][f"{key}:{expected}"]
            if counted < responses:
                problems.append(f"{counted} {key} checks {expected} for {responses} responses")
            if series != "flood" and res["checks"][f"{key}:limited"]:
                problems.append(f"{res['checks'][f'{key}:limited']} {key} checks limited on a generous limit")
        if res["store_errors"]:
            problems.append(f"{res['store_errors']} store errors")
        if "redis_script_calls" in res and res["redis_script_calls"] < responses:
            problems.append(f"{res['redis_script_calls']} Redis script calls for {responses} responses")
        if problems:
            kind = "fixed rate" if res["mode"] == "fixed" else PROTOCOL_LABELS[res["proto"]]
            raise ScenarioFailed(f"{series} {kind}{' warm-up' if res['warmup'] else ''}: " + "; ".join(problems))

    def warmup(self):
        a = self.a
        if a.jvm_warmup > 0:
            # As the throughput part does: the JIT compiles the request path for tens of seconds after start.
            self.log(f"ratelimit JIT warm-up: each gateway {a.jvm_warmup} s HTTP/1.1 + {max(1, a.jvm_warmup // 2)} s "
                     "HTTP/2 on /limited/ (discarded)")
            for series in ("limited", "redis"):
                self.runs.append(dict(self.load(series, "h1", a.jvm_warmup, warmup=True), round=0))
                self.runs.append(dict(self.load(series, "h2", max(1, a.jvm_warmup // 2), warmup=True), round=0))
        if a.warmup > 0:
            self.log(f"ratelimit warm-up: {a.warmup} s per series and protocol (discarded)")
            for proto in PROTOCOLS:
                for series in ORDER:
                    self.runs.append(dict(self.load(series, proto, a.warmup, warmup=True), round=0))

    def rounds(self):
        a = self.a
        for rnd in range(1, a.rounds + 1):
            # Reversed every round, so no series always runs on the heels of the same other; unlimited and limited
            # stay neighbours either way.
            order = ORDER if rnd % 2 else ORDER[::-1]
            for proto in PROTOCOLS:
                line = []
                for series in order:
                    res = self.load(series, proto, a.ratelimit_duration)
                    res["round"] = rnd
                    self.runs.append(res)
                    line.append(f"{series} {res['rps']:.0f}/s CPU {res.get('cpu_us_per_req', 0):.1f}µs/req")
                self.log(f"ratelimit round {rnd} {PROTOCOL_LABELS[proto]}: " + " | ".join(line))

    def fixed_rate(self):
        a = self.a
        capacity = med([r["rps"] for r in self.runs if r["series"] == "limited" and r["proto"] == "h1"
                        and r["mode"] == "saturate" and not r["warmup"]])
        rate = 0.5 * capacity
        per_client = rate / a.rate_clients
        self.info["fixed_rate"] = {"capacity_rps": capacity, "rate_rps": rate, "clients": a.rate_clients,
                                   "per_client_rps": per_client}
        self.log(f"ratelimit fixed rate: {rate:.0f} req/s (half of /limited/'s {capacity:.0f} req/s, HTTP/1.1) = "
                 f"{a.rate_clients} connections × {per_client:.1f}/s (h2load --h1 --rps)")
        for rnd in range(1, a.rounds + 1):
            order = FIXED_ORDER if rnd % 2 else FIXED_ORDER[::-1]
            line = []
            for series in order:
                res = self.load(series, "h1", a.rate_duration, rps_per_client=per_client)
                res.update({"round": rnd, "rate_rps": rate})
                self.runs.append(res)
                line.append(f"{series} {res['rps']:.0f}/s p50 {res['p50_ms'] or 0:.2f} p99 {res['p99_ms'] or 0:.2f}"
                            f" p99.9 {res['p99_9_ms'] or 0:.2f}ms")
            self.log(f"ratelimit round {rnd} fixed rate: " + " | ".join(line))

    def run(self):
        try:
            self.start()
            self.check_routes()
            self.warmup()
            self.rounds()
            self.fixed_rate()
            # The flood's bucket took exactly one request in the whole part (the route check's).
            checks, _ = rate_limit_metrics(self.gateways["local"]["admin_port"])
            self.info["flood_allowed_total"] = checks.get(("flood", "client_ip", "allowed"), 0)
            self.info["flood_limited_total"] = checks.get(("flood", "client_ip", "limited"), 0)
            if self.info["flood_allowed_total"] != 1:
                raise ScenarioFailed(f"the flood route let {self.info['flood_allowed_total']} requests through in "
                                     "the part, expected exactly one")
        finally:
            self.stop()


# ---- results ---------------------------------------------------------------------------------------------------
def per_round(runs, key, series, base, diff=False):
    """series' key against base's in each round (a ratio, or with diff a difference), in round order."""
    out = []
    for rnd in sorted({r["round"] for r in runs}):
        b = [r.get(key) for r in runs if r["round"] == rnd and r["series"] == base]
        t = [r.get(key) for r in runs if r["round"] == rnd and r["series"] == series]
        if b and t and b[0] is not None and t[0] is not None:
            if diff:
                out.append(t[0] - b[0])
            elif b[0]:
                out.append(t[0] / b[0])
    return out


def summarize(runs, info, error=None):
    s = {"error": error, "tls": info.get("tls"), "redis": info.get("redis"), "checks": info.get("checks"),
         "flood_allowed_total": info.get("flood_allowed_total"),
         "flood_limited_total": info.get("flood_limited_total")}
    measured = [r for r in runs if not r.get("warmup") and r.get("mode") == "saturate"]
    for proto in PROTOCOLS:
        ps = {}
        pr = [r for r in measured if r["proto"] == proto]
        for series in ORDER:
            rs = [r for r in pr if r["series"] == series]
            ps[series] = stats(rs, ("rps", "p50_ms", "p99_ms", "cpu_us_per_req", "redis_cpu_us_per_req"))
            ps[series].update({"runs": len(rs), "responses": sum(r["responses"] for r in rs)})
        # Per round (each pair ran back to back, sharing the machine's noise), then the median of those.
        for series in ORDER[1:]:
            ratios = per_round(pr, "rps", series, "unlimited")
            added = per_round(pr, "cpu_us_per_req", series, "unlimited", diff=True)
            ps[f"ratio_{series}_unlimited"] = med(ratios)
            ps[f"ratio_{series}_unlimited_per_round"] = ratios
            ps[f"added_cpu_us_{series}"] = med(added)
            ps[f"added_cpu_us_{series}_per_round"] = added
        ratios = per_round(pr, "rps", "redis", "limited")
        ps["ratio_redis_limited"], ps["ratio_redis_limited_per_round"] = med(ratios), ratios
        s[proto] = ps
    fixed = [r for r in runs if r.get("mode") == "fixed"]
    if fixed:
        fr = dict(info.get("fixed_rate") or {})
        for series in FIXED_ORDER:
            rs = [r for r in fixed if r["series"] == series]
            fr[series] = stats(rs, ("rps", "p50_ms", "p90_ms", "p99_ms", "p99_9_ms", "max_ms", "cpu_us_per_req",
                                    "redis_cpu_us_per_req"))
            fr[series].update({"runs": len(rs), "errors": sum(r.get("errors", 0) for r in rs)})
        for q in ("p50_ms", "p99_ms", "p99_9_ms"):
            for series, base, name in (("redis", "limited", "redis_minus_local"),
                                       ("limited", "unlimited", "local_minus_unlimited")):
                d = per_round(fixed, q, series, base, diff=True)
                fr[f"{name}_{q}"], fr[f"{name}_{q}_per_round"] = med(d), d
            r, loc = fr["redis"][q], fr["limited"][q]
            fr[f"redis_minus_local_{q}_of_medians"] = r - loc if r is not None and loc is not None else None
        s["fixed_rate"] = fr
    return s


def goals(s):
    g = {}
    if s.get("error"):
        g["ratelimit_error"] = s["error"]
    ratios = {f"{proto}_{series}": s.get(proto, {}).get(f"ratio_{series}_unlimited")
              for proto in PROTOCOLS for series in ("limited", "two_limits")}
    if all(v is not None for v in ratios.values()):
        g["ratelimit_ratio_to_unlimited"] = ratios
        g["ratelimit_ratio_met"] = all(v >= RATIO_GOAL for v in ratios.values())
    d = (s.get("fixed_rate") or {}).get("redis_minus_local_p99_ms")
    if d is not None:
        g["ratelimit_redis_added_p99_ms"] = d
        g["ratelimit_redis_p99_met"] = d <= REDIS_P99_GOAL_MS
    flood = {proto: s.get(proto, {}).get("added_cpu_us_flood") for proto in PROTOCOLS}
    if all(v is not None for v in flood.values()):
        g["ratelimit_flood_minus_allowed_cpu_us"] = flood
        g["ratelimit_flood_cheaper_met"] = all(v < 0 for v in flood.values())
    return g


def print_table(s, g, args):
    print("\nrate limits (Gatehouse only, GET 1 KiB; the same routes but for their limits; local store unless said):")
    if s.get("error"):
        print(f"  !!! SCENARIO FAILED: {s['error']}")
    tools = {"h1": f"wrk -c{args.connections}", "h2": f"h2load -c{args.h2_clients} -m{args.h2_streams}"}
    labels = {"unlimited": "unlimited", "limited": "limited", "two_limits": "two limits", "redis": "redis store",
              "flood": "flood (429)"}
    for proto in PROTOCOLS:
        ps = s.get(proto)
        if not ps or not ps["unlimited"]["runs"]:
            continue
        print(f"  {PROTOCOL_LABELS[proto]}, {tools[proto]}:")
        for series in ORDER:
            m = ps[series]
            extra = ""
            if series != "unlimited":
                rr = ", ".join(f"{x:.2f}" for x in ps[f"ratio_{series}_unlimited_per_round"])
                ad = ", ".join(f"{x:+.1f}" for x in ps[f"added_cpu_us_{series}_per_round"])
                extra = (f"  {ps[f'ratio_{series}_unlimited'] or 0:.2f}× unlimited (per round: {rr}); "
                         f"{ps[f'added_cpu_us_{series}'] or 0:+.1f} µs (per round: {ad})")
            if series == "redis" and m["redis_cpu_us_per_req"] is not None:
                extra += f"; redis-server {m['redis_cpu_us_per_req']:.1f} µs/req"
            p99 = f"{m['p99_ms']:>6.2f}" if m["p99_ms"] is not None else "   n/a"
            print(f"    {labels[series]:<12} {m['rps'] or 0:>9.0f} req/s  p99 {p99} ms"
                  f"  CPU {m['cpu_us_per_req'] or 0:>6.1f} µs/req{extra}")
    fr = s.get("fixed_rate")
    if fr:
        print(f"  fixed rate {fr.get('rate_rps', 0):.0f} req/s (half of /limited/'s {fr.get('capacity_rps', 0):.0f} "
              f"req/s, HTTP/1.1), h2load --h1 -c{fr.get('clients')}:")
        for series in FIXED_ORDER:
            m = fr[series]
            print(f"    {labels[series]:<12} achieved {m['rps'] or 0:.0f}/s  p50 {m['p50_ms'] or 0:.3f}  "
                  f"p99 {m['p99_ms'] or 0:.3f}  p99.9 {m['p99_9_ms'] or 0:.3f} ms  CPU {m['cpu_us_per_req'] or 0:.1f} "
                  f"µs/req  errors {m['errors']}")
        parts = []
        for q in ("p50_ms", "p99_ms", "p99_9_ms"):
            v = fr.get(f"redis_minus_local_{q}")
            rr = ", ".join(f"{x:+.3f}" for x in fr.get(f"redis_minus_local_{q}_per_round", []))
            parts.append(f"{q[:-3].replace('_', '.')} {v if v is not None else 0:+.3f} ms (per round: {rr})")
        print("    Redis − local store: " + "; ".join(parts))
    if s.get("flood_limited_total") is not None:
        print(f"  flood: {s['flood_limited_total']:,} refused, {s['flood_allowed_total']} let through in the part")
    print(f"  goals: limited and two limits ≥ {RATIO_GOAL}× unlimited: " + _met(g.get("ratelimit_ratio_met"))
          + f"; Redis adds ≤ {REDIS_P99_GOAL_MS:g} ms p99 at half capacity: " + _met(g.get("ratelimit_redis_p99_met"))
          + "; a refused request costs less CPU than an allowed one: " + _met(g.get("ratelimit_flood_cheaper_met")))


def _met(v):
    return "n/a" if v is None else ("met" if v else "NOT met")
