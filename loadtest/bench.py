#!/usr/bin/env python3
"""The benchmark: direct-to-upstream vs nginx (TLS proxy) vs Gatehouse, measured interleaved in one run.

Started by run-benchmark.sh (which installs tools and builds the jar). Python 3 stdlib only.
See README.md for what is measured and why.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import audit
import auditlog
import auth
import chart
import loadgen
from figures import med
import ratelimit
import targets
import webhooks

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SERIES = ("direct", "nginx", "gatehouse")
# Each guarded case right after its plain one, so that the two share a stretch of the machine's noise.
CASES = ("h1-1k", "h1-1k-guarded", "h1-1m", "h2-1k", "h2-1k-guarded", "h2-1m")
GUARDED = "-guarded"  # the same load through the route with every guard on (conf/: "guarded", location /guarded/)
# The guarded route needs an X-N8N-API-KEY (auth: n8n-api-key checks that one is there; n8n would check it). 200
# characters, about the length of an n8n API key, so that both proxies parse a header of realistic size.
API_KEY = ("gatehouse-benchmark-api-key-" * 8)[:200]
# Parts of the benchmark, in the order they run; --only picks some (the fixed rate is derived from the throughput).
SECTIONS = ("throughput", "fixed-rate", "memory", "webhooks", "auth", "audit", "ratelimit")
# What a run without --only does: all but auth, which starts a Keycloak and adds 4-5 minutes to the ~16 (README),
# audit, which needs the jar of the commit before the signed log (run-benchmark.sh builds it once) and adds ~6, and
# ratelimit, which starts a redis-server and adds ~10 (the default run's routes carry a never-refusing limit anyway).
DEFAULT_SECTIONS = SECTIONS[:4]
# Parts that start their own Gatehouse(s) and need neither nginx nor the benchmark's Gatehouse.
OWN_SERVERS = ("auth", "audit", "ratelimit")
# The longest auth run: a session cookie is rewritten once it was last seen 60 s before (auth.py), and every run
# must end before its cookie is that old.
MAX_AUTH_RUN_S = 50
# Gatehouse's RSS goals (MiB) by idle TLS keep-alive connections held; a count not listed here is measured, not judged.
RSS_GOALS_MIB = {1000: 128, 10000: 384}

# Why these JVM flags (see README.md, "JVM settings"): a proxy's live heap is tiny (connection state; Netty keeps
# I/O buffers off-heap) and nearly all allocation dies young, so a small fixed heap and the throughput collector fit
# best on 2 cores: no concurrent GC threads competing with the two event loops, no G1 barriers, and a bounded
# footprint for the 256 MiB RSS goal.
# The flags README.md recommends for production: a small heap is plenty for a streaming proxy, and the serial
# collector has no GC threads competing with the two event loops on a 2-core machine.
DEFAULT_JVM_FLAGS = "-Xms16m -Xmx128m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=96m -Xss512k -XX:MaxDirectMemorySize=128m"

NGINX_BUFFERING = {
    # nginx's defaults (buffer the response in memory, 8 pages), minus spilling to temp files.
    "on": "proxy_buffering on; proxy_max_temp_file_size 0;",
    # Stream like Gatehouse (no response buffering), with a 64 KiB read buffer.
    "off": "proxy_buffering off; proxy_buffer_size 64k; proxy_buffers 4 64k; proxy_busy_buffers_size 64k;",
}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


cpu_ticks = targets.cpu_ticks


def tool_version(argv, pattern):
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(pattern, out)
    return m.group(1) if m else out.strip().splitlines()[0] if out.strip() else None


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Bench:
    def __init__(self, args, sections):
        self.args = args
        self.sections = sections
        self.procs = targets.Processes()
        self.runs = []  # every measured run, raw
        self.work = None

    # ---- setup -----------------------------------------------------------------------------------------------
    def setup(self):
        a = self.args
        self.work = tempfile.mkdtemp(prefix="gatehouse-bench-")
        # nginx workers run as nobody when started by root: they must be able to read the docroot.
        os.chmod(self.work, 0o755)
        certs = os.path.join(self.work, "certs")
        subprocess.run(["java", "-jar", a.jar, "dev-certs", "--out", certs], check=True, stdout=subprocess.DEVNULL)
        log(f"work dir {self.work}")
        self.certs = certs
        self.upstream = targets.start_upstream(self.procs, self.work,
                                               list(auth.ROUTES.values()) + list(ratelimit.ROUTES.values()))
        self.pids = {"direct": self.upstream["proc"].pid}
        if not self.proxies:
            # The auth, audit and ratelimit parts start their own Gatehouse (and Keycloak, redis-server) when their
            # turn comes.
            log(f"upstream :{self.upstream['http_port']}")
            return
        self.nginx = targets.start_nginx_proxy(self.procs, self.work, certs, self.upstream["http_port"],
                                               NGINX_BUFFERING[a.nginx_buffering])
        self.webhook_secret = webhooks.new_secret()  # fresh per run; reaches Gatehouse through its environment
        self.gatehouse = targets.start_gatehouse(self.procs, self.work, certs, self.upstream["http_port"], a.jar,
                                                 a.jvm_flags.split(), webhooks.SIGNED_PATH, self.webhook_secret)
        log(f"upstream :{self.upstream['http_port']} (h2c :{self.upstream['h2c_port']}), "
            f"nginx :{self.nginx['port']}, gatehouse :{self.gatehouse['port']}")
        self.urls = {
            "direct": {"h1": f"http://127.0.0.1:{self.upstream['http_port']}",
                       "h2": f"http://127.0.0.1:{self.upstream['h2c_port']}"},
            "nginx": {"h1": f"https://127.0.0.1:{self.nginx['port']}", "h2": f"https://127.0.0.1:{self.nginx['port']}"},
            "gatehouse": {"h1": f"https://127.0.0.1:{self.gatehouse['port']}",
                          "h2": f"https://127.0.0.1:{self.gatehouse['port']}"},
        }
        self.pids.update({"nginx": self.nginx["proc"].pid, "gatehouse": self.gatehouse["proc"].pid})

    @property
    def proxies(self):
        """Whether a part needs nginx and the benchmark's Gatehouse (every part but auth, audit and ratelimit does)."""
        return any(s not in OWN_SERVERS for s in self.sections)

    def environment(self):
        model = ""
        try:
            with open("/proc/cpuinfo") as f:
                m = re.search(r"model name\s*:\s*(.*)", f.read())
                model = m.group(1) if m else ""
        except OSError:
            pass
        return {
            "host": platform.node(), "kernel": platform.release(), "cpus": os.cpu_count(), "cpu_model": model,
            "loadavg_start": loadavg(),
            "nginx": tool_version(["nginx", "-v"], r"nginx/(\S+)"),
            "wrk": tool_version(["wrk", "-v"], r"wrk (\S+)"),
            "h2load": tool_version(["h2load", "--version"], r"nghttp2/(\S+)"),
            "java": tool_version(["java", "-version"], r'version "([^"]+)"'),
            "tls_nginx": targets.negotiated(self.nginx["port"], ["h2", "http/1.1"]) if self.proxies else None,
            "tls_gatehouse": targets.negotiated(self.gatehouse["port"], ["h2", "http/1.1"]) if self.proxies else None,
            "note": self.args.note,
        }

    # ---- measurements ----------------------------------------------------------------------------------------
    def load(self, target, case, duration, warmup=False):
        a = self.args
        proto, body = case.split("-")[:2]
        guarded = case.endswith(GUARDED)
        url = self.urls[target][proto] + (targets.GUARDED_PREFIX if guarded else "/") + body
        headers = {"X-N8N-API-KEY": API_KEY} if guarded else None
        pid = self.pids[target]
        up_pid = self.pids["direct"]
        c0, u0, t0 = cpu_ticks(pid), cpu_ticks(up_pid), time.monotonic()
        if proto == "h1":
            res = loadgen.wrk(url, a.connections, a.threads, duration, headers=headers)
        else:
            res = loadgen.h2load(url, a.h2_clients, a.h2_streams, a.threads, duration, warmup_s=1, headers=headers)
        c1, u1, t1 = cpu_ticks(pid), cpu_ticks(up_pid), time.monotonic()
        hz = os.sysconf("SC_CLK_TCK")
        res.update({"target": target, "case": case, "warmup": warmup, "wall_s": round(t1 - t0, 2),
                    "body_bytes": targets.BODIES[body],
                    "mib_s": res["rps"] * targets.BODIES[body] / 2 ** 20,
                    "cpu_s": (c1 - c0) / hz, "upstream_cpu_s": (u1 - u0) / hz})
        if res.get("requests"):
            # CPU of the measured process only (for direct: the upstream itself). h2load's CPU delta includes its
            # 1 s warm-up, so this slightly overstates per-request CPU for HTTP/2, equally for every target.
            res["cpu_us_per_req"] = res["cpu_s"] * 1e6 / res["requests"]
        return res

    def check_guarded(self):
        """Before measuring: the guarded route must pass a request with the API key (the whole 1 KiB body) and refuse
        one without it with 401, on both proxies; otherwise its figures would measure something else."""
        cafile = os.path.join(self.certs, "ca.crt")
        for target in ("nginx", "gatehouse"):
            url = f"{self.urls[target]['h1'].replace('127.0.0.1', 'localhost')}{targets.GUARDED_PREFIX}1k"
            status, body, _ = targets.fetch(url, cafile, {"X-N8N-API-KEY": API_KEY})
            refused = targets.fetch(url, cafile)[0]
            if status != 200 or len(body) != targets.BODIES["1k"] or refused != 401:
                raise RuntimeError(f"{target}: {url} answered {status} ({len(body)} bytes) with X-N8N-API-KEY and "
                                   f"{refused} without it; expected 200 (1024 bytes) and 401")
        log("guarded route: 200 with X-N8N-API-KEY and 401 without it on nginx and Gatehouse")

    def throughput(self):
        a = self.args
        if a.jvm_warmup > 0 and "throughput" in self.sections:
            # The JIT is still compiling the request path for tens of seconds after start (C2 took a quarter of
            # Gatehouse's CPU in a 25 s profile); a proxy in production has long passed this. Discarded.
            log(f"JIT warm-up: Gatehouse {a.jvm_warmup} s HTTP/1.1 + {a.jvm_warmup // 2} s HTTP/2 (discarded)")
            loadgen.wrk(f"{self.urls['gatehouse']['h1']}/1k", a.connections, a.threads, a.jvm_warmup)
            loadgen.h2load(f"{self.urls['gatehouse']['h2']}/1k", a.h2_clients, a.h2_streams, a.threads,
                           max(1, a.jvm_warmup // 2), warmup_s=1)
        if a.warmup > 0:
            log(f"warm-up: {a.warmup} s per target and case (discarded)")
            for case in CASES:
                for target in case_targets(case):
                    self.load(target, case, a.warmup, warmup=True)
        for rnd in range(1, a.rounds + 1):
            for case in CASES:
                line = []
                for target in case_targets(case):
                    res = self.load(target, case, a.duration)
                    res["round"] = rnd
                    self.runs.append(res)
                    line.append(f"{target} {res['rps']:.0f}/s p99 {res['p99_ms']:.2f}ms"
                                + (f" ERR {res['errors']}" if res.get("errors") else ""))
                log(f"round {rnd} {case}: " + " | ".join(line))

    def fixed_rate(self):
        a = self.args
        nginx_rps = [r["rps"] for r in self.runs if r["target"] == "nginx" and r["case"] == "h1-1k"]
        rate = 0.5 * statistics.median(nginx_rps)
        per_client = rate / a.rate_clients
        log(f"fixed rate: {rate:.0f} req/s = {a.rate_clients} HTTP/1.1 connections × {per_client:.1f}/s "
            f"(h2load --h1 --rps)")
        out = []
        for rnd in range(1, a.rounds + 1):
            line = []
            for target in SERIES:
                url = f"{self.urls[target]['h1']}/1k"
                res = loadgen.h2load(url, a.rate_clients, 1, a.threads, a.rate_duration, warmup_s=1, h1=True,
                                     rps_per_client=per_client)
                res.update({"target": target, "round": rnd, "rate_rps": rate})
                out.append(res)
                line.append(f"{target} {res['rps']:.0f}/s p50 {res['p50_ms']:.2f} p99 {res['p99_ms']:.2f}ms")
            log(f"round {rnd} fixed rate: " + " | ".join(line))
        return {"rate_rps": rate, "clients": a.rate_clients, "per_client_rps": per_client, "runs": out}

    def memory(self):
        """Each --hold count in turn, smallest first (the JVM keeps heap it has grown to, so a 1,000 reading taken
        after 10,000 would not be a 1,000 reading), nginx then Gatehouse. Keyed by the count:
        {"counts": [1000, 10000], "nginx": {"1000": ...}}."""
        out = {"counts": sorted(set(self.args.hold))}
        for count in out["counts"]:
            for target in ("nginx", "gatehouse"):
                out.setdefault(target, {})[str(count)] = m = self.hold(target, count)
                log(f"memory {target}, {count} connections: {m['open']} open ({m['failed']} failed"
                    + (f": {m['errors']}" if m["errors"] else "") + f", {m['open_s']} s to open), "
                    f"RSS {m['rss_kib'] / 1024:.1f} MiB (before {m['rss_before_kib'] / 1024:.1f} MiB), "
                    f"peak {m['hwm_kib'] / 1024:.1f} MiB, {m['alive_at_end']} still open at the end")
        return out

    def hold(self, target, count):
        """Holds count idle TLS connections (holdconns.py) to target and reads its memory meanwhile."""
        port = self.nginx["port"] if target == "nginx" else self.gatehouse["port"]
        pid = self.pids[target]
        limit = targets.open_files_limit(pid)
        before = targets.memory_kib(pid)
        out = {"rss_before_kib": before[0], "open_files_limit": limit, "open": 0, "failed": count, "errors": {},
               "open_s": None, "alive_at_end": None, "rss_kib": before[0], "hwm_kib": before[1]}
        if limit is not None and limit < count + 64:
            out["errors"] = {f"the proxy's open-file limit is {limit} (/proc/{pid}/limits)": count}
            return out
        holder = subprocess.Popen([sys.executable, os.path.join(HERE, "holdconns.py"), "--port", str(port),
                                   "--count", str(count)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, start_new_session=True)
        try:
            ready = json.loads(holder.stdout.readline() or "{}")
            if "ready" not in ready:
                out["errors"] = {f"holdconns.py exited with {holder.wait(timeout=10)} (see its message above)": count}
                return out
            time.sleep(2)  # let the proxy settle (GC, lazily freed buffers) before reading
            during = targets.memory_kib(pid)
            holder.stdin.close()
            alive = json.loads(holder.stdout.readline() or "{}")
            holder.wait(timeout=60)
        finally:
            if holder.poll() is None:
                holder.kill()
                holder.wait()
        out.update({"open": ready["ready"], "failed": ready["failed"], "errors": ready["errors"],
                    "open_s": ready["seconds"], "alive_at_end": alive.get("alive"), "rss_kib": during[0],
                    "hwm_kib": during[1]})
        return out

    def access_log_lines(self):
        """Requests in each proxy's log: all, and those of the guarded route (both logs are JSON and name the route:
        the check that the guarded cases went through it). nginx's is its access log, a line per request;
        Gatehouse's the request entries of its signed audit log (auditlog.py)."""
        counts = {}
        if not self.proxies:
            return counts
        counted = {"nginx": auditlog.count_lines(self.nginx["access_log"], b'"route":"guarded"'),
                   "gatehouse": auditlog.count_requests(self.gatehouse["audit_dir"],
                                                        auditlog.member_needle("route", "guarded"))}
        for target, c in counted.items():
            counts[target] = {"lines": c[0], "guarded": c[1]} if c else None
        return counts

    def gatehouse_gc(self):
        """GC counts and time from the running JVM (jstat), for the record."""
        if not self.proxies:
            return None
        try:
            out = subprocess.run(["jstat", "-gcutil", str(self.pids["gatehouse"])], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, timeout=20).stdout.split("\n")
            return dict(zip(out[0].split(), out[1].split()))
        except (OSError, subprocess.TimeoutExpired, IndexError):
            return None


def guarded_log_problems(runs, logs):
    """Each proxy's log must hold a guarded-route line for every guarded request the load generators counted (the
    warm-ups add more)."""
    problems = []
    for target in ("nginx", "gatehouse"):
        sent = sum(r.get("requests", 0) for r in runs if r["target"] == target and r["case"].endswith(GUARDED))
        logged = (logs.get(target) or {}).get("guarded")
        if sent and (logged is None or logged < sent):
            problems.append(f"{target}: {logged} guarded-route lines in its access log for {sent} guarded requests")
    return problems


def case_targets(case):
    """Who gets a case's load: the direct runs measure the upstream itself, which has no guards to turn on, so a
    guarded case loads the two proxies only (its direct figure would be the plain case's)."""
    return SERIES[1:] if case.endswith(GUARDED) else SERIES


def summarize(runs, fixed, memory):
    s = {}
    if runs:
        s["throughput"], s["cpu_per_request_us"] = {}, {}
    for case in (CASES if runs else ()):
        cs = {}
        for t in case_targets(case):
            rs = [r for r in runs if r["case"] == case and r["target"] == t]
            cs[t] = {
                "rps": med([r["rps"] for r in rs]),
                "rps_min": min((r["rps"] for r in rs), default=None),
                "rps_max": max((r["rps"] for r in rs), default=None),
                "mib_s": med([r["mib_s"] for r in rs]),
                "p50_ms": med([r.get("p50_ms") for r in rs]),
                "p99_ms": med([r.get("p99_ms") for r in rs]),
                "p99_ms_min": min((r["p99_ms"] for r in rs if r.get("p99_ms") is not None), default=None),
                "p99_ms_max": max((r["p99_ms"] for r in rs if r.get("p99_ms") is not None), default=None),
                "errors": sum(r.get("errors", 0) for r in rs),
                "cpu_us_per_req": med([r.get("cpu_us_per_req") for r in rs]),
            }
        n, g = cs["nginx"], cs["gatehouse"]
        cs["ratio_rps_gatehouse_nginx"] = g["rps"] / n["rps"] if n["rps"] else None
        # The same ratio taken per round (each round's runs are adjacent in time, so share the machine's noise).
        per_round = []
        for rnd in sorted({r["round"] for r in runs}):
            nr = [r["rps"] for r in runs if r["case"] == case and r["target"] == "nginx" and r["round"] == rnd]
            gr = [r["rps"] for r in runs if r["case"] == case and r["target"] == "gatehouse" and r["round"] == rnd]
            if nr and gr and nr[0]:
                per_round.append(gr[0] / nr[0])
        cs["ratio_rps_per_round"] = per_round
        cs["ratio_p99_gatehouse_nginx"] = g["p99_ms"] / n["p99_ms"] if n["p99_ms"] and g["p99_ms"] else None
        s["throughput"][case] = cs
        s["cpu_per_request_us"][case] = {t: cs[t]["cpu_us_per_req"] for t in case_targets(case)}
    if fixed:
        fr = {"rate_rps": fixed["rate_rps"]}
        for t in SERIES:
            rs = [r for r in fixed["runs"] if r["target"] == t]
            fr[t] = {"achieved_rps": med([r["rps"] for r in rs]), "errors": sum(r.get("errors", 0) for r in rs)}
            for q in ("p50_ms", "p90_ms", "p99_ms", "p99_9_ms"):
                vals = [r.get(q) for r in rs if r.get(q) is not None]
                fr[t][q] = med(vals)
                fr[t][q + "_min"] = min(vals, default=None)
                fr[t][q + "_max"] = max(vals, default=None)
        if fr["nginx"]["p99_ms"] is not None and fr["gatehouse"]["p99_ms"] is not None:
            fr["gatehouse_minus_nginx_p99_ms"] = fr["gatehouse"]["p99_ms"] - fr["nginx"]["p99_ms"]
            fr["nginx_added_p99_ms"] = fr["nginx"]["p99_ms"] - (fr["direct"]["p99_ms"] or 0)
            fr["gatehouse_added_p99_ms"] = fr["gatehouse"]["p99_ms"] - (fr["direct"]["p99_ms"] or 0)
        s["fixed_rate"] = fr
    if memory:
        s["memory"] = summarize_memory(memory)
    return s


def summarize_memory(memory):
    """Flat keys that say the count: rss_1000_conns_mib, open_10000_conns, ...; peak_mib is VmHWM over the whole run
    (the last reading: the high-water mark only grows)."""
    mem = {"counts": memory["counts"],
           "gatehouse_goal_mib": {str(c): RSS_GOALS_MIB[c] for c in memory["counts"] if c in RSS_GOALS_MIB}}
    for t in ("nginx", "gatehouse"):
        mem[t] = {}
        for count in memory["counts"]:
            m = memory[t][str(count)]
            mem[t].update({f"rss_{count}_conns_mib": m["rss_kib"] / 1024,
                           f"rss_before_{count}_conns_mib": m["rss_before_kib"] / 1024,
                           f"open_{count}_conns": m["open"], f"failed_{count}_conns": m["failed"],
                           f"alive_at_end_{count}_conns": m["alive_at_end"],
                           f"seconds_to_open_{count}_conns": m["open_s"]})
        mem[t]["peak_mib"] = memory[t][str(memory["counts"][-1])]["hwm_kib"] / 1024
    return mem


def goals(s):
    out = {}
    if "throughput" in s:
        ratios = [s["throughput"][c]["ratio_rps_gatehouse_nginx"] for c in CASES]
        out["throughput_ge_1x_nginx"] = {c: s["throughput"][c]["ratio_rps_gatehouse_nginx"] for c in CASES}
        out["throughput_met"] = all(r is not None and r >= 1.0 for r in ratios)
    fr = s.get("fixed_rate", {})
    if "gatehouse_minus_nginx_p99_ms" in fr:
        out["added_p99_gatehouse_minus_nginx_ms"] = fr["gatehouse_minus_nginx_p99_ms"]
        out["added_p99_met"] = fr["gatehouse_minus_nginx_p99_ms"] <= 0.5
    mem = s.get("memory")
    for count, limit in (RSS_GOALS_MIB.items() if mem else ()):
        if count in mem["counts"]:
            g = mem["gatehouse"]
            out[f"rss_{count}_conns_mib"] = g[f"rss_{count}_conns_mib"]
            # Met only with every connection open while read and still open after: fewer would flatter the figure.
            out[f"rss_{count}_conns_met"] = (g[f"rss_{count}_conns_mib"] <= limit and g[f"open_{count}_conns"] == count
                                             and g[f"alive_at_end_{count}_conns"] == count)
    if "webhooks" in s:
        out.update(webhooks.goals(s["webhooks"]))
    if "auth" in s:
        out.update(auth.goals(s["auth"]))
    if "audit" in s:
        out.update(audit.goals(s["audit"]))
    if "ratelimit" in s:
        out.update(ratelimit.goals(s["ratelimit"]))
    return out


def print_table(s, g, args):
    print_throughput(s)
    if "webhooks" in s:
        webhooks.print_table(s["webhooks"], g, args.webhook_probe_rate)
    if "auth" in s:
        auth.print_table(s["auth"], g, args)
    if "audit" in s:
        audit.print_table(s["audit"], g)
    if "ratelimit" in s:
        ratelimit.print_table(s["ratelimit"], g, args)
    parts = []
    if "throughput_met" in g:
        parts.append("throughput ≥ 1.0× nginx: " + ("met" if g["throughput_met"] else "NOT met"))
    if "added_p99_met" in g:
        parts.append("added p99 ≤ nginx + 0.5 ms: " + ("met" if g["added_p99_met"] else "NOT met"))
    for count, limit in RSS_GOALS_MIB.items():
        if f"rss_{count}_conns_met" in g:
            met = g[f"rss_{count}_conns_met"]
            parts.append(f"RSS ≤ {limit} MiB @{count:,} conns: " + ("met" if met else "NOT met"))
    if parts:
        print("\ngoals: " + "; ".join(parts))


def print_throughput(s):
    for case in (CASES if "throughput" in s else ()):
        if case == CASES[0]:
            print()
            print(f"{'case':<14} {'target':<10} {'req/s':>9} {'MiB/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
                  f"{'CPU µs/req':>10} {'err':>5}")
        cs = s["throughput"][case]
        for t in case_targets(case):
            m = cs[t]
            print(f"{case:<14} {t:<10} {m['rps']:>9.0f} {m['mib_s']:>8.1f} {m['p50_ms'] or 0:>8.2f} "
                  f"{m['p99_ms'] or 0:>8.2f} {m['cpu_us_per_req'] or 0:>10.1f} {m['errors']:>5}")
        rr = ", ".join(f"{x:.2f}" for x in cs["ratio_rps_per_round"])
        print(f"{'':<14} Gatehouse/nginx throughput {cs['ratio_rps_gatehouse_nginx'] or 0:.2f}× (per round: {rr}); "
              f"p99 {cs['ratio_p99_gatehouse_nginx'] or 0:.2f}×")
    fr = s.get("fixed_rate")
    if fr:
        print(f"\nfixed rate {fr['rate_rps']:.0f} req/s (HTTP/1.1, 1 KiB):")
        for t in SERIES:
            m = fr[t]
            print(f"  {t:<10} achieved {m['achieved_rps']:.0f}/s  p50 {m['p50_ms']:.3f}  p90 {m['p90_ms']:.3f}  "
                  f"p99 {m['p99_ms']:.3f}  p99.9 {m['p99_9_ms']:.3f} ms  errors {m['errors']}")
        if "gatehouse_minus_nginx_p99_ms" in fr:
            print(f"  added p99 (vs direct): nginx {fr['nginx_added_p99_ms']:+.3f} ms, Gatehouse "
                  f"{fr['gatehouse_added_p99_ms']:+.3f} ms; Gatehouse − nginx {fr['gatehouse_minus_nginx_p99_ms']:+.3f} ms")
    mem = s.get("memory")
    for count in (mem["counts"] if mem else ()):
        print(f"\nmemory with {count:,} idle TLS keep-alive connections (process tree RSS):")
        for t in ("nginx", "gatehouse"):
            m = mem[t]
            print(f"  {t:<10} RSS {m[f'rss_{count}_conns_mib']:.1f} MiB "
                  f"(before {m[f'rss_before_{count}_conns_mib']:.1f}), "
                  f"{m[f'open_{count}_conns']} open, {m[f'failed_{count}_conns']} failed, "
                  f"{m[f'alive_at_end_{count}_conns']} still open at the end")
    if mem:
        peaks = ", ".join(f"{t} {mem[t]['peak_mib']:.1f} MiB" for t in ("nginx", "gatehouse"))
        print(f"  peak over the run (VmHWM): {peaks}")


def counts(text):
    """--hold's value: "1000,10000" -> [1000, 10000]."""
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected positive counts separated by commas, e.g. 1000,10000")
    return values


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jar", default=os.path.join(ROOT, "gateway", "target", "gatehouse.jar"))
    ap.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=3, help="seconds per target and case before round 1 (0: none)")
    ap.add_argument("--jvm-warmup", type=int, default=20, help="seconds of load on Gatehouse alone before anything")
    ap.add_argument("--connections", type=int, default=64, help="wrk connections (HTTP/1.1)")
    ap.add_argument("--h2-clients", type=int, default=16, help="h2load connections (HTTP/2)")
    ap.add_argument("--h2-streams", type=int, default=4, help="h2load concurrent streams per connection")
    ap.add_argument("--threads", type=int, default=2, help="load generator threads (one per core)")
    ap.add_argument("--rate-clients", type=int, default=32, help="connections for the fixed-rate run")
    ap.add_argument("--rate-duration", type=int, default=10)
    ap.add_argument("--hold", type=counts, default=[1000, 10000],
                    help="comma-separated counts of idle TLS keep-alive connections the memory part holds, one "
                         "measurement each (default 1000,10000; the open-file limit must allow the largest + 1024)")
    ap.add_argument("--jvm-flags", default=os.environ.get("GATEHOUSE_BENCH_JVM_FLAGS", DEFAULT_JVM_FLAGS))
    ap.add_argument("--nginx-buffering", choices=sorted(NGINX_BUFFERING), default="on")
    ap.add_argument("--out", default=None, help="writes OUT.json and OUT.svg (default results/latest, or with --only "
                                                "results/<parts joined by ->, so a partial run never replaces latest)")
    ap.add_argument("--note", default="", help="free text recorded with the results (e.g. machine state)")
    ap.add_argument("--keep-work", action="store_true", help="keep the temp dir (configs, logs) for inspection")
    ap.add_argument("--only", default=",".join(DEFAULT_SECTIONS),
                    help=f"comma-separated parts to run, of {', '.join(SECTIONS)} (fixed-rate needs throughput); "
                         f"default {','.join(DEFAULT_SECTIONS)}; e.g. --only webhooks, --only auth, --only audit, "
                         "--only ratelimit")
    ap.add_argument("--webhook-duration", type=int, default=None, help="seconds per webhook run (default --duration)")
    ap.add_argument("--webhook-warmup", type=int, default=9,
                    help="seconds of 1 KiB webhooks per route before measuring (a third of it with 1 MiB); 0: none")
    ap.add_argument("--webhook-latency-connections", type=int, default=4,
                    help="wrk connections for the 1 MiB webhook latency and the uploads beside the event-loop probe")
    ap.add_argument("--webhook-probe-rate", type=float, default=400,
                    help="small GETs per second of the event-loop probe (h2load --h1 --rps)")
    ap.add_argument("--webhook-probe-clients", type=int, default=8, help="connections of the event-loop probe")
    ap.add_argument("--auth-duration", type=int, default=None,
                    help=f"seconds per auth run (default --duration; at most {MAX_AUTH_RUN_S})")
    ap.add_argument("--auth-warmup", type=int, default=8,
                    help="seconds per route and protocol of the auth part before measuring (discarded); 0: none")
    ap.add_argument("--baseline-jar", default=None,
                    help=f"the audit part's plain-log gateway: the jar of commit {audit.BASELINE_COMMIT} "
                         "(run-benchmark.sh builds it once with baseline-jar.sh and passes it)")
    ap.add_argument("--audit-duration", type=int, default=None,
                    help="seconds per gateway run of the audit part (default --duration)")
    ap.add_argument("--audit-entries", type=int, default=3_000_000,
                    help="entries the audit writer benchmark writes per round (and verify-log then checks)")
    ap.add_argument("--audit-warmup-entries", type=int, default=300_000,
                    help="entries written before the audit writer's measurement (JIT warm-up; verified too)")
    ap.add_argument("--audit-producers", type=int, default=2, help="producer threads of the audit writer benchmark")
    ap.add_argument("--audit-segment-max-size", type=int, default=64 << 20,
                    help="segment size of the audit writer's log in bytes (sealed segments are compressed with zstd)")
    ap.add_argument("--ratelimit-duration", type=int, default=None,
                    help="seconds per saturating run of the ratelimit part (default --duration; its fixed-rate runs "
                         "take --rate-duration)")
    a = ap.parse_args()
    if a.webhook_duration is None:
        a.webhook_duration = a.duration
    if a.auth_duration is None:
        a.auth_duration = a.duration
    if a.audit_duration is None:
        a.audit_duration = a.duration
    if a.ratelimit_duration is None:
        a.ratelimit_duration = a.duration
    sections = [x.strip() for x in a.only.split(",") if x.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown or not sections:
        ap.error(f"--only: unknown part(s) {', '.join(sorted(unknown)) or '(none given)'}; choose from {', '.join(SECTIONS)}")
    if "fixed-rate" in sections and "throughput" not in sections:
        ap.error("--only: fixed-rate takes its rate from the throughput part; add throughput")
    if "auth" in sections and not (0 < a.auth_duration <= MAX_AUTH_RUN_S and 0 <= a.auth_warmup <= MAX_AUTH_RUN_S):
        ap.error(f"--auth-duration and --auth-warmup: at most {MAX_AUTH_RUN_S} s (a session cookie is rewritten "
                 "once it was last seen 60 s before, and a run must not cross that)")
    if "audit" in sections and not (a.baseline_jar and os.path.isfile(a.baseline_jar)):
        ap.error(f"--only audit: --baseline-jar must name the jar of commit {audit.BASELINE_COMMIT} "
                 f"({a.baseline_jar or 'not given'}; loadtest/baseline-jar.sh builds it)")
    if "audit" in sections and (a.audit_entries < 1 or a.audit_warmup_entries < 0 or a.audit_producers < 1
                                or a.audit_duration < 1):
        ap.error("--audit-entries, --audit-producers and --audit-duration must be at least 1")
    if "ratelimit" in sections and not (shutil.which("redis-server") or os.access("/usr/bin/redis-server", os.X_OK)):
        ap.error("--only ratelimit: redis-server is needed (Debian: apt-get install -y redis-server; "
                 "run-benchmark.sh installs it)")
    if "ratelimit" in sections and (a.ratelimit_duration < 1 or a.rate_duration < 1 or a.rate_clients < 1):
        ap.error("--ratelimit-duration, --rate-duration and --rate-clients must be at least 1")
    if "memory" in sections:
        # Raised here so that every server started below inherits it (the JVM raises its soft limit to the hard one
        # by itself; nginx's workers set worker_rlimit_nofile). The margin covers the proxies' own files and
        # upstream connections.
        try:
            targets.raise_open_files(max(a.hold) + 1024)
        except RuntimeError as e:
            ap.error(f"--hold {max(a.hold)}: {e}, or hold fewer connections")
    if a.out is None:
        name = "latest" if set(sections) == set(DEFAULT_SECTIONS) else "-".join(sections)
        a.out = os.path.join(HERE, "results", name)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    bench = Bench(a, sections)
    t0 = time.monotonic()
    fixed = memory = hooks = logins = logs_audit = limits = None
    hooks_error = auth_error = audit_error = limits_error = None
    try:
        bench.setup()
        env = bench.environment()
        log(f"TLS: nginx {env['tls_nginx']}, gatehouse {env['tls_gatehouse']}; load avg {env['loadavg_start']}; "
            f"parts: {', '.join(sections)}")
        if "throughput" in sections:
            bench.check_guarded()
            bench.throughput()
        if "fixed-rate" in sections:
            fixed = bench.fixed_rate()
        if "memory" in sections:
            memory = bench.memory()
        if "webhooks" in sections:
            hooks = webhooks.WebhookScenario(a, bench.work, bench.gatehouse["port"], bench.gatehouse["admin_port"],
                                             bench.pids["gatehouse"], os.path.join(bench.certs, "ca.crt"),
                                             bench.webhook_secret, log)
            try:
                hooks.run()
            except webhooks.ScenarioFailed as e:
                # Loud, but the other parts' results are still written.
                hooks_error = str(e)
                log(f"!!! WEBHOOK SCENARIO FAILED: {e}")
        if "auth" in sections:
            logins = auth.AuthScenario(a, bench.procs, bench.work, bench.certs, bench.upstream["http_port"], log)
            try:
                logins.run()
            except RuntimeError as e:
                # ScenarioFailed, LoginFailed, or Keycloak not starting: loud, but the other parts' results are kept.
                auth_error = str(e)
                log(f"!!! AUTH SCENARIO FAILED: {e}")
        if "audit" in sections:
            logs_audit = audit.AuditScenario(a, bench.procs, bench.work, bench.certs, bench.upstream["http_port"], log)
            try:
                logs_audit.run()
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                # ScenarioFailed, a gateway not starting, a tool timing out: loud, but the results are written.
                audit_error = str(e)
                log(f"!!! AUDIT SCENARIO FAILED: {e}")
        if "ratelimit" in sections:
            limits = ratelimit.RateLimitScenario(a, bench.procs, bench.work, bench.certs, bench.upstream["http_port"],
                                                 log)
            try:
                limits.run()
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                # ScenarioFailed, a server not starting, a tool timing out: loud, but the results are written.
                limits_error = str(e)
                log(f"!!! RATELIMIT SCENARIO FAILED: {e}")
        env["loadavg_end"] = loadavg()
        logs = bench.access_log_lines()
        gc = bench.gatehouse_gc()
    finally:
        bench.procs.stop_all()
        if bench.work and not a.keep_work:
            shutil.rmtree(bench.work, ignore_errors=True)
    s = summarize(bench.runs, fixed, memory)
    if hooks is not None:
        s["webhooks"] = webhooks.summarize(hooks.runs, hooks_error)
    if logins is not None:
        s["auth"] = auth.summarize(logins.runs, logins.info, auth_error)
    if logs_audit is not None:
        s["audit"] = audit.summarize(logs_audit.runs, logs_audit.info, audit_error)
    if limits is not None:
        s["ratelimit"] = ratelimit.summarize(limits.runs, limits.info, limits_error)
    g = goals(s)
    result = {
        "started": started.isoformat(), "elapsed_s": round(time.monotonic() - t0, 1),
        "settings": {k: v for k, v in vars(a).items() if k not in ("jar", "baseline_jar")},
        "environment": env,
        "gatehouse": {"jvm_flags": a.jvm_flags.split(), "gc_at_end": gc},
        "nginx_proxy": {"buffering": NGINX_BUFFERING[a.nginx_buffering]},
        "direct_http2": "h2c with prior knowledge to the upstream nginx (its own http2 listener)",
        "access_log_lines": logs,
        "sections": sections,
        "cases": list(CASES) if bench.runs else [],
        "summary": s,
        "goals": g,
        "runs": bench.runs,
        "fixed_rate_runs": fixed["runs"] if fixed else [],
        "memory": memory,
        "webhook_runs": hooks.runs if hooks else [],
        "auth_runs": logins.runs if logins else [],
        "auth_setup": auth.SETUP if logins else None,
        "audit_runs": logs_audit.runs if logs_audit else [],
        "audit_setup": ({"baseline_commit": audit.BASELINE_COMMIT, "cases": list(audit.CASES),
                         "writer": "loadtest/AuditWriterBench.java", "verify": "gatehouse verify-log (JVM defaults)"}
                        if logs_audit else None),
        "ratelimit_runs": limits.runs if limits else [],
        "ratelimit_setup": ratelimit.SETUP if limits else None,
        "webhook_setup": {"signed_path": webhooks.SIGNED_PATH, "unsigned_path": webhooks.UNSIGNED_PATH,
                          "captured_path": webhooks.CAPTURED_PATH,
                          "scheme": "standard", "replay_store": "local",
                          "upstream": "nginx reads the whole body (proxy_pass to its own /sink), then 200"},
    }
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out + ".json", "w") as f:
        json.dump(result, f, indent=1)
    chart.main(a.out + ".json", a.out + ".svg")
    print_table(s, g, a)
    if logs:
        print(f"\naccess log lines (all, guarded route): {logs}")
    for problem in guarded_log_problems(bench.runs, logs):
        print(f"!!! {problem}", file=sys.stderr)
    print(f"wrote {a.out}.json and {a.out}.svg in {result['elapsed_s']:.0f} s")
    if hooks_error:
        print(f"\n!!! WEBHOOK SCENARIO FAILED: {hooks_error}", file=sys.stderr)
    if auth_error:
        print(f"\n!!! AUTH SCENARIO FAILED: {auth_error}", file=sys.stderr)
    if audit_error:
        print(f"\n!!! AUDIT SCENARIO FAILED: {audit_error}", file=sys.stderr)
    if limits_error:
        print(f"\n!!! RATELIMIT SCENARIO FAILED: {limits_error}", file=sys.stderr)
    if hooks_error or auth_error or audit_error or limits_error:
        sys.exit(3)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as e:
        print(f"interrupted ({e}); every process started was stopped", file=sys.stderr)
        sys.exit(130)
