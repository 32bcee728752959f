"""The audit part of the benchmark (--only audit): what the signed audit log (docs/audit-log.md) costs, and how fast
its writer and its verifier are, against issue 11's goals:

  1. The writer alone sustains >= 200,000 entries/s per core. AuditWriterBench.java opens a signed AuditLog in an
     empty directory, as the gateway does, and a few producer threads write request entries as fast as the writer
     thread drains them (never faster: a dropped entry would not be written). Judged on the writer thread's CPU time
     per entry (entries per CPU-second); entries/s of the whole run are reported beside it.
  2. verify-log checks >= 1,000,000 entries/s per core: `gatehouse verify-log` over the log of (1), several million
     entries in sealed zstd segments and the open one, on the process's CPU time (it checks signatures on other
     cores). Two figures: the whole run, JVM start and JIT compilation included; and the steady rate, judged
     against the goal: the same command given the log twice (--dir D --dir D) costs the CPU of the second pass
     more, so entries / (CPU of two passes - CPU of one) is what each further entry of a long log costs.
  3. A request costs no more with the signed log: the gateway of this tree and the one of commit 97ad33b (the last
     with the plain access log, access.jsonl), same config, same JVM flags, same upstream, loaded back to back in
     interleaved rounds (the order flipped every round). Goal: signed/plain req/s >= 0.95, the median of the
     per-round ratios; CPU per request of each is reported.
  4. A written entry is covered by a signed checkpoint within 1.5 s: the p99 bucket of the signed gateway's
     gatehouse_audit_checkpoint_cover_seconds histogram (admin /metrics) at the end of the load.

Afterwards every request the load generators counted must be in the gateway's log (request entries of the signed
one, lines of the plain one) and verify-log must find the signed gateway's log intact; else the part fails (exit 3).
"""

import json
import os
import re
import resource
import shutil
import subprocess
import time
import urllib.request

import auditlog
import loadgen
from figures import med, stats
import targets
from targets import cpu_ticks
import webhooks

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER_SOURCE = os.path.join(HERE, "AuditWriterBench.java")
BASELINE_COMMIT = "97ad33b"
VARIANTS = ("plain", "signed")  # the gateway of BASELINE_COMMIT (access.jsonl), this tree's (the signed log)
CASES = ("h1-1k", "h2-1k")  # a small response, where a per-request cost shows most
CASE_LABELS = {"h1-1k": "HTTP/1.1 1 KiB", "h2-1k": "HTTP/2 1 KiB"}
WRITER_GOAL = 200_000  # entries per CPU-second of the writer thread
VERIFY_GOAL = 1_000_000  # entries per CPU-second of verify-log
RATIO_GOAL = 0.95  # signed/plain req/s
CHECKPOINT_GOAL_S = 1.5  # p99 of the time from an entry's write to its first signed checkpoint
COVER_HISTOGRAM = "gatehouse_audit_checkpoint_cover_seconds"
VERIFY_OK = re.compile(r"^OK (\d+) entries, (\d+) checkpoints$", re.M)


class ScenarioFailed(RuntimeError):
    """A run did not do what it measures (dropped entries, a log that does not verify, refused requests)."""


class AuditScenario:
    """Runs the part; every raw run is kept in self.runs. Uses the bench's Processes, so the gateways it starts are
    stopped however the run ends."""

    def __init__(self, args, procs, work, certs, upstream_port, log):
        self.a = args
        self.procs = procs
        self.work = os.path.join(work, "audit")
        self.certs = certs
        self.upstream_port = upstream_port
        self.log = log
        self.runs = []
        self.info = {"baseline_commit": BASELINE_COMMIT, "baseline_jar": args.baseline_jar}
        self.gateways = {}
        self.problems = []

    # ---- 1 and 2: the writer alone, then verify-log over its log ---------------------------------------------
    def writer_and_verifier(self):
        a = self.a
        os.makedirs(self.work, exist_ok=True)
        key, pub = targets.keygen(a.jar, os.path.join(self.work, "writer-key"))
        self.info["jvm_start"] = self.jvm_start()
        for rnd in range(1, a.rounds + 1):
            log_dir = os.path.join(self.work, f"writer-log-{rnd}")
            w = self.writer(log_dir, key)
            w["round"] = rnd
            self.runs.append(w)
            self.log(f"audit writer round {rnd}: {w['entries']:,} entries in {w['seconds_to_take_all']:.1f} s = "
                     f"{w['entries_per_s']:,.0f}/s; writer thread {w['writer_cpu_us_per_entry']:.2f} µs CPU/entry = "
                     f"{w['entries_per_writer_cpu_s']:,.0f} entries/CPU-s; {w['segments_compressed']} compressed + "
                     f"{w['segments_plain']} plain segments, {w['segment_bytes'] / 2 ** 20:.0f} MiB; "
                     f"dropped {w['dropped']}")
            v = self.verify(log_dir, pub, "writer-log")
            twice = self.verify(log_dir, pub, "writer-log twice", passes=2)
            second_cpu = twice["cpu_s"] - v["cpu_s"]
            v.update({"round": rnd, "twice_cpu_s": twice["cpu_s"], "twice_entries": twice["entries"],
                      "steady_entries_per_cpu_s": v["entries"] / second_cpu if second_cpu > 0 else None})
            self.runs.append(v)
            steady = v["steady_entries_per_cpu_s"]
            self.log(f"audit verify-log round {rnd}: {v['entries']:,} entries in {v['wall_s']:.1f} s = "
                     f"{v['entries_per_s']:,.0f}/s; {v['cpu_s']:.1f} CPU-s = {v['entries_per_cpu_s']:,.0f} "
                     f"entries/CPU-s; twice in one run {twice['cpu_s']:.1f} CPU-s: steady "
                     + (f"{steady:,.0f} entries/CPU-s" if steady else "not measurable (no more CPU for twice)"))
            if twice["entries"] != 2 * w["log_entries"]:
                raise ScenarioFailed(f"verify-log counted {twice['entries']} entries in the log given twice")
            if v["entries"] != w["log_entries"]:
                raise ScenarioFailed(f"verify-log counted {v['entries']} entries in a log of {w['log_entries']}")
            # Up to a few hundred MiB each: only the round in hand is kept.
            shutil.rmtree(log_dir, ignore_errors=True)

    def writer(self, log_dir, key):
        a = self.a
        argv = (["java"] + a.jvm_flags.split() + ["-cp", a.jar, WRITER_SOURCE, "--dir", log_dir, "--key", key,
                "--entries", str(a.audit_entries), "--warmup-entries", str(a.audit_warmup_entries),
                "--producers", str(a.audit_producers), "--segment-max-size", str(a.audit_segment_max_size)])
        # At worst some 20,000 entries/s on a busy machine, plus compiling the source.
        timeout = 120 + (a.audit_entries + a.audit_warmup_entries) / 20_000
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
        lines = p.stdout.strip().splitlines()
        try:
            res = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            raise ScenarioFailed(f"AuditWriterBench exited {p.returncode} without results:\n"
                                 f"{p.stderr[-2000:]}") from None
        if p.returncode != 0 or res.get("dropped"):
            raise ScenarioFailed(f"AuditWriterBench exited {p.returncode} with {res.get('dropped')} entries dropped "
                                 f"(the producers must never outrun the queue):\n{p.stderr[-2000:]}")
        res.update({"case": "writer", "argv": argv})
        return res

    def verify(self, log_dir, pub, what, passes=1):
        """verify-log as an operator runs it (the JVM's defaults), over log_dir given passes times; its CPU from the
        kernel's accounting of the waited-for child (RUSAGE_CHILDREN: nothing else this process starts ends
        meanwhile)."""
        argv = ["java", "-jar", self.a.jar, "verify-log"] + ["--dir", log_dir] * passes + ["--public-key", pub]
        r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1800)
        r1, t1 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        m = VERIFY_OK.search(p.stdout)
        if p.returncode != 0 or not m:
            raise ScenarioFailed(f"verify-log exited {p.returncode} on {what}:\n{p.stdout[-2000:]}")
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        entries, wall = int(m.group(1)), t1 - t0
        files = auditlog.segments(log_dir)
        return {"case": "verify", "log": what, "argv": argv, "entries": entries, "checkpoints": int(m.group(2)),
                "segments": len(files), "segments_compressed": sum(1 for f in files if f.endswith((".zst", ".gz"))),
                "segment_bytes": sum(os.path.getsize(f) for f in files),
                "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "user_s": round(r1.ru_utime - r0.ru_utime, 3),
                "entries_per_s": entries / wall if wall else None, "entries_per_cpu_s": entries / cpu if cpu else None}

    def jvm_start(self):
        """What starting the JVM and the CLI costs alone (verify-log's figures include it once)."""
        r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        subprocess.run(["java", "-jar", self.a.jar, "--version"], stdout=subprocess.DEVNULL, check=True, timeout=60)
        r1, t1 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        return {"wall_s": round(t1 - t0, 3),
                "cpu_s": round((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), 3)}

    # ---- 3 and 4: the two gateways, interleaved ------------------------------------------------------------
    def start_gateways(self):
        a = self.a
        secret = webhooks.new_secret()  # the bench config has the webhook routes too; unused here
        jars = {"plain": a.baseline_jar, "signed": a.jar}
        for variant in VARIANTS:
            # Both get a key from this tree's keygen; the plain gateway's config reader only checks the file is there.
            self.gateways[variant] = targets.start_gatehouse(
                self.procs, self.work, self.certs, self.upstream_port, jars[variant], a.jvm_flags.split(),
                webhooks.SIGNED_PATH, secret, home=os.path.join(self.work, f"gatehouse-{variant}"),
                name=f"gatehouse-{variant}", keygen_jar=a.jar)
        self.info["tls"] = targets.negotiated(self.gateways["signed"]["port"], ["h2", "http/1.1"])
        self.log("audit: gateways " + ", ".join(f"{v} :{g['port']}" for v, g in self.gateways.items())
                 + f" (plain: {BASELINE_COMMIT}'s jar)")

    def load(self, variant, case, duration, warmup=False):
        a = self.a
        g = self.gateways[variant]
        proto = case.split("-")[0]
        url = f"https://127.0.0.1:{g['port']}/1k"
        pid = g["proc"].pid
        c0, t0 = cpu_ticks(pid), time.monotonic()
        if proto == "h1":
            res = loadgen.wrk(url, a.connections, a.threads, duration)
        else:
            res = loadgen.h2load(url, a.h2_clients, a.h2_streams, a.threads, duration, warmup_s=1)
        c1, t1 = cpu_ticks(pid), time.monotonic()
        res.update({"case": case, "variant": variant, "warmup": warmup, "wall_s": round(t1 - t0, 2),
                    "cpu_s": (c1 - c0) / os.sysconf("SC_CLK_TCK")})
        if res.get("requests"):
            res["cpu_us_per_req"] = res["cpu_s"] * 1e6 / res["requests"]
        if res.get("errors"):
            self.problems.append(f"{variant} {case}{' warm-up' if warmup else ''}: {res['errors']} errors")
        return res

    def warmup(self):
        a = self.a
        if a.jvm_warmup > 0:
            # As the throughput part does: the JIT compiles the request path for tens of seconds after start.
            self.log(f"audit JIT warm-up: each gateway {a.jvm_warmup} s HTTP/1.1 + {max(1, a.jvm_warmup // 2)} s "
                     "HTTP/2 (discarded)")
            for variant in VARIANTS:
                self.runs.append(dict(self.load(variant, "h1-1k", a.jvm_warmup, warmup=True), round=0))
                self.runs.append(dict(self.load(variant, "h2-1k", max(1, a.jvm_warmup // 2), warmup=True), round=0))
        if a.warmup > 0:
            for case in CASES:
                for variant in VARIANTS:
                    self.runs.append(dict(self.load(variant, case, a.warmup, warmup=True), round=0))

    def rounds(self):
        a = self.a
        for rnd in range(1, a.rounds + 1):
            # Flipped every round, so neither gateway always runs on the heels of the other's load.
            order = VARIANTS if rnd % 2 else VARIANTS[::-1]
            for case in CASES:
                line = []
                for variant in order:
                    res = self.load(variant, case, a.audit_duration)
                    res["round"] = rnd
                    self.runs.append(res)
                    line.append(f"{variant} {res['rps']:.0f}/s p99 {res['p99_ms'] or 0:.2f}ms "
                                f"CPU {res.get('cpu_us_per_req', 0):.1f}µs/req"
                                + (f" ERR {res['errors']}" if res.get("errors") else ""))
                self.log(f"audit round {rnd} {case}: " + " | ".join(line))

    def cover_histogram(self):
        g = self.gateways["signed"]
        with urllib.request.urlopen(f"http://127.0.0.1:{g['admin_port']}/metrics", timeout=5) as r:
            return parse_histogram(r.read().decode(), COVER_HISTOGRAM)

    def check_logs(self):
        """Once both gateways stopped (their logs complete): each holds every request the load generators counted,
        and the signed one verifies."""
        counted = {v: sum(r.get("requests", 0) for r in self.runs if r.get("variant") == v) for v in VARIANTS}
        signed = auditlog.count_requests(self.gateways["signed"]["audit_dir"])
        plain = auditlog.count_lines(os.path.join(self.gateways["plain"]["audit_dir"], "access.jsonl"), b'"status":')
        logged = {"signed": signed[0] if signed else None, "plain": plain[0] if plain else None}
        for v in VARIANTS:
            if logged[v] is None or logged[v] < counted[v]:
                self.problems.append(f"{v}: {logged[v]} requests in its log for {counted[v]} counted")
        v = self.verify(self.gateways["signed"]["audit_dir"], self.gateways["signed"]["public_key"], "gateway log")
        self.runs.append(v)
        self.log(f"audit logs: {logged} requests logged for {counted} counted; verify-log on the signed gateway's "
                 f"log: OK, {v['entries']:,} entries, {v['checkpoints']} checkpoints in {v['wall_s']:.1f} s")
        return {"counted": counted, "logged": logged, "verify_gateway_log": v}

    def run(self):
        try:
            self.writer_and_verifier()
            self.start_gateways()
            self.warmup()
            before = self.cover_histogram()
            self.rounds()
            after = self.cover_histogram()  # at the end of the load
            self.info["checkpoint_cover"] = {"at_end": after, "measured_rounds": subtract(after, before)}
        finally:
            for g in self.gateways.values():
                self.procs.stop(g["proc"])
        if self.gateways:
            self.info["logs"] = self.check_logs()
        if self.problems:
            raise ScenarioFailed("; ".join(self.problems))


def parse_histogram(text, name):
    """A classic Prometheus histogram without labels from a text exposition: {"buckets": [[le, cumulative], ...],
    "count": n, "sum": s}; le of +Inf is None (JSON has no infinity)."""
    buckets, count, total = [], 0.0, 0.0
    for line in text.splitlines():
        m = re.fullmatch(re.escape(name) + r'_bucket\{le="([^"]+)"\} (\S+)', line)
        if m:
            buckets.append([None if m.group(1) == "+Inf" else float(m.group(1)), float(m.group(2))])
        elif line.startswith(name + "_count "):
            count = float(line.split()[1])
        elif line.startswith(name + "_sum "):
            total = float(line.split()[1])
    buckets.sort(key=lambda b: float("inf") if b[0] is None else b[0])
    return {"buckets": buckets, "count": count, "sum": total}


def subtract(after, before):
    """What was observed between two readings of the same histogram."""
    prior = {le: c for le, c in before["buckets"]}
    return {"buckets": [[le, c - prior.get(le, 0.0)] for le, c in after["buckets"]],
            "count": after["count"] - before["count"], "sum": after["sum"] - before["sum"]}


def bucket_quantile(h, q):
    """The upper bound of the bucket holding the q-quantile (q in 0..1): the most a histogram can say. None without
    observations, and when it lies above the last finite bound (the +Inf bucket)."""
    if not h or not h["count"]:
        return None
    for le, cumulative in h["buckets"]:
        if cumulative >= q * h["count"]:
            return le
    return None


# ---- results ---------------------------------------------------------------------------------------------------
def summarize(runs, info, error=None):
    s = {"error": error, "baseline_commit": info.get("baseline_commit"), "tls": info.get("tls"),
         "jvm_start": info.get("jvm_start"), "logs": info.get("logs")}
    writer = [r for r in runs if r.get("case") == "writer"]
    s["writer"] = stats(writer, ("entries_per_s", "entries_per_writer_cpu_s", "writer_cpu_us_per_entry",
                                 "process_cpu_s", "sealer_cpu_s", "seconds_to_signed_checkpoint"))
    s["writer"].update({"runs": len(writer), "entries": writer[0]["entries"] if writer else None,
                        "producers": writer[0]["producers"] if writer else None,
                        "dropped": sum(r.get("dropped", 0) for r in writer)})
    verify = [r for r in runs if r.get("case") == "verify" and r.get("log") == "writer-log"]
    s["verify"] = stats(verify, ("entries_per_s", "entries_per_cpu_s", "steady_entries_per_cpu_s", "wall_s", "cpu_s"))
    s["verify"].update({"runs": len(verify), "entries": verify[0]["entries"] if verify else None,
                        "segments": verify[0]["segments"] if verify else None,
                        "segments_compressed": verify[0]["segments_compressed"] if verify else None})
    measured = [r for r in runs if r.get("variant") and not r.get("warmup")]
    gw = {}
    for case in CASES:
        cs = {}
        for variant in VARIANTS:
            rs = [r for r in measured if r["case"] == case and r["variant"] == variant]
            cs[variant] = stats(rs, ("rps", "p50_ms", "p99_ms", "cpu_us_per_req"))
            cs[variant]["runs"] = len(rs)
            cs[variant]["errors"] = sum(r.get("errors", 0) for r in rs)
        ratios, added = [], []
        for rnd in sorted({r["round"] for r in measured}):
            p = [r for r in measured if r["case"] == case and r["round"] == rnd and r["variant"] == "plain"]
            g = [r for r in measured if r["case"] == case and r["round"] == rnd and r["variant"] == "signed"]
            if p and g:
                if p[0]["rps"]:
                    ratios.append(g[0]["rps"] / p[0]["rps"])
                if p[0].get("cpu_us_per_req") is not None and g[0].get("cpu_us_per_req") is not None:
                    added.append(g[0]["cpu_us_per_req"] - p[0]["cpu_us_per_req"])
        # Per round (each pair ran back to back, sharing the machine's noise), then the median of those.
        cs.update({"ratio_rps": med(ratios), "ratio_rps_per_round": ratios, "added_cpu_us": med(added),
                   "added_cpu_us_per_round": added})
        gw[case] = cs
    s["gateway"] = gw
    cover = info.get("checkpoint_cover") or {}
    s["checkpoint_cover"] = {
        key: {"p50_le_s": bucket_quantile(h, 0.5), "p99_le_s": bucket_quantile(h, 0.99), "checkpoints": h["count"],
              "mean_s": h["sum"] / h["count"] if h["count"] else None, "buckets": h["buckets"]}
        for key, h in cover.items()}
    return s


def goals(s):
    g = {}
    if s.get("error"):
        g["audit_error"] = s["error"]
    w = s["writer"].get("entries_per_writer_cpu_s")
    if w is not None:
        g["audit_writer_entries_per_cpu_s"] = w
        g["audit_writer_met"] = w >= WRITER_GOAL
    v = s["verify"].get("steady_entries_per_cpu_s")
    if v is not None:
        g["audit_verify_entries_per_cpu_s"] = v
        g["audit_verify_whole_run_entries_per_cpu_s"] = s["verify"].get("entries_per_cpu_s")
        g["audit_verify_met"] = v >= VERIFY_GOAL
    ratios = {case: s["gateway"][case]["ratio_rps"] for case in CASES}
    if all(r is not None for r in ratios.values()):
        g["audit_ratio_signed_plain"] = ratios
        g["audit_ratio_met"] = all(r >= RATIO_GOAL for r in ratios.values())
    cover = s["checkpoint_cover"].get("at_end") or {}
    if cover.get("checkpoints"):
        p99 = cover["p99_le_s"]  # None: above the last finite bucket (10 s)
        g["audit_checkpoint_p99_le_s"] = p99
        g["audit_checkpoint_met"] = p99 is not None and p99 <= CHECKPOINT_GOAL_S
    return g


def print_table(s, g):
    print("\naudit log (signed, docs/audit-log.md):")
    if s.get("error"):
        print(f"  !!! SCENARIO FAILED: {s['error']}")
    w = s["writer"]
    if w["runs"]:
        print(f"  writer alone, {w['entries']:,} entries from {w['producers']} producer threads, {w['runs']} run(s): "
              f"{w['entries_per_s'] or 0:,.0f} entries/s; writer thread {w['writer_cpu_us_per_entry'] or 0:.2f} µs "
              f"CPU/entry = {w['entries_per_writer_cpu_s'] or 0:,.0f} entries/CPU-s "
              f"(min {w['entries_per_writer_cpu_s_min'] or 0:,.0f}, max {w['entries_per_writer_cpu_s_max'] or 0:,.0f});"
              f" dropped {w['dropped']}")
    v = s["verify"]
    if v["runs"]:
        start = s.get("jvm_start") or {}
        print(f"  verify-log over it, {v['entries']:,} entries in {v['segments']} segments "
              f"({v['segments_compressed']} compressed): {v['wall_s']:.2f} s = {v['entries_per_s'] or 0:,.0f} "
              f"entries/s; {v['cpu_s']:.2f} CPU-s = {v['entries_per_cpu_s'] or 0:,.0f} entries/CPU-s for the whole "
              f"run (JVM start alone: {start.get('cpu_s', 0):.2f} CPU-s, included); steady rate "
              f"{v['steady_entries_per_cpu_s'] or 0:,.0f} entries/CPU-s (min "
              f"{v['steady_entries_per_cpu_s_min'] or 0:,.0f}, max {v['steady_entries_per_cpu_s_max'] or 0:,.0f})")
    for case in CASES:
        cs = s["gateway"][case]
        if not cs["plain"]["runs"]:
            continue
        parts = [f"{variant} {cs[variant]['rps'] or 0:,.0f} req/s p99 {cs[variant]['p99_ms'] or 0:.2f} ms "
                 f"CPU {cs[variant]['cpu_us_per_req'] or 0:.1f} µs/req" for variant in VARIANTS]
        rr = ", ".join(f"{x:.2f}" for x in cs["ratio_rps_per_round"])
        ad = ", ".join(f"{x:+.1f}" for x in cs["added_cpu_us_per_round"])
        print(f"  gateway {CASE_LABELS[case]} ({s['baseline_commit']}'s plain access log vs the signed log): "
              + " | ".join(parts) + f"; signed/plain {cs['ratio_rps'] or 0:.2f}× (per round: {rr}), "
              f"{cs['added_cpu_us'] or 0:+.1f} µs CPU/req (per round: {ad})")
    for key, title in (("at_end", "at the end of the load"), ("measured_rounds", "over the measured rounds")):
        c = s["checkpoint_cover"].get(key)
        if c and c["checkpoints"]:
            p50, p99 = (f"{x:g}" if x is not None else "+Inf" for x in (c["p50_le_s"], c["p99_le_s"]))
            print(f"  checkpoint cover time {title}: p50 ≤ {p50} s, p99 ≤ {p99} s (buckets), "
                  f"mean {c['mean_s']:.3f} s, {c['checkpoints']:.0f} checkpoints")
    logs = s.get("logs")
    if logs:
        vg = logs["verify_gateway_log"]
        print(f"  logs: requests logged {logs['logged']} for {logs['counted']} counted; verify-log on the signed "
              f"gateway's log OK: {vg['entries']:,} entries, {vg['checkpoints']} checkpoints, "
              f"{vg['entries_per_cpu_s'] or 0:,.0f} entries/CPU-s")
    print(f"  goals: writer ≥ {WRITER_GOAL:,} entries/CPU-s: " + _met(g.get("audit_writer_met"))
          + f"; verify-log ≥ {VERIFY_GOAL:,} entries/CPU-s (steady): " + _met(g.get("audit_verify_met"))
          + f"; signed ≥ {RATIO_GOAL}× plain: " + _met(g.get("audit_ratio_met"))
          + f"; checkpoint p99 ≤ {CHECKPOINT_GOAL_S} s: " + _met(g.get("audit_checkpoint_met")))


def _met(v):
    return "n/a" if v is None else ("met" if v else "NOT met")
