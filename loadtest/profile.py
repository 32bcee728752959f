#!/usr/bin/env python3
"""Where Gatehouse's CPU goes for one benchmark case: starts the upstream and Gatehouse as bench.py does, loads one
case (h1-1k, h1-1m, h2-1k, h2-1m, or nginx-h1-1k etc. to load nginx instead), and samples Gatehouse with
async-profiler (Maven Central's tools.profiler:async-profiler, fetched by `mvn dependency:get` into ~/.m2) during
the measured part. Writes a flame graph (HTML) and the top frames (self time) as text.

  loadtest/profile.py h1-1k                       # 15 s warm-up, 15 s sampled; results/profile-h1-1k.{html,txt}
  loadtest/profile.py h2-1k --duration 20 --event itimer
  loadtest/profile.py h1-captured                 # 1 KiB webhook POSTs to /hook-captured/ (log_payloads: both);
                                                  # h1-unsigned: the same to /hook-unsigned/, to compare

Not part of run-benchmark.sh: a profile slows the process it samples, so its throughput is not a figure to quote.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import zipfile

import loadgen
import targets

HERE = os.path.dirname(os.path.abspath(__file__))
AP_VERSION = "4.1"


def profiler_library():
    jar = os.path.expanduser(f"~/.m2/repository/tools/profiler/async-profiler/{AP_VERSION}/async-profiler-{AP_VERSION}.jar")
    if not os.path.exists(jar):
        subprocess.run(["mvn", "-B", "-q", "dependency:get", f"-Dartifact=tools.profiler:async-profiler:{AP_VERSION}"],
                       check=True)
    out = os.path.expanduser(f"~/.cache/gatehouse/async-profiler-{AP_VERSION}")
    lib = os.path.join(out, "linux-x64", "libasyncProfiler.so")
    if not os.path.exists(lib):
        with zipfile.ZipFile(jar) as z:
            z.extract("linux-x64/libasyncProfiler.so", out)
    return lib


def agent(pid, lib, options):
    """Loads the profiler library into the running JVM (the same library each time, so the same profiler). jcmd reads
    key=value pairs from its arguments, so the options go quoted as one value."""
    subprocess.run(["jcmd", str(pid), "JVMTI.agent_load", lib, '"' + options + '"'], check=True,
                   stdout=subprocess.DEVNULL)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", help="h1-1k, h1-1m, h2-1k, h2-1m, or h1-unsigned / h1-captured (1 KiB webhook POSTs)")
    p.add_argument("--jar", default=os.path.join(HERE, "..", "gateway", "target", "gatehouse.jar"))
    p.add_argument("--duration", type=int, default=15)
    p.add_argument("--warmup", type=int, default=15)
    p.add_argument("--event", default="cpu", help="async-profiler event: cpu (falls back to itimer), itimer, alloc")
    p.add_argument("--jvm-flags", default="-Xms16m -Xmx128m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m "
                                          "-XX:MaxMetaspaceSize=96m -Xss512k -XX:MaxDirectMemorySize=128m")
    p.add_argument("--out", default=None)
    a = p.parse_args()
    proto, body = a.case.split("-")
    lib = profiler_library()
    out = a.out or os.path.join(HERE, "results", f"profile-{a.case}")
    procs = targets.Processes()
    work = tempfile.mkdtemp(prefix="gatehouse-profile-")
    os.chmod(work, 0o755)
    try:
        certs = os.path.join(work, "certs")
        subprocess.run(["java", "-jar", a.jar, "dev-certs", "--out", certs], check=True, stdout=subprocess.DEVNULL)
        upstream = targets.start_upstream(procs, work)
        gh = targets.start_gatehouse(procs, work, certs, upstream["http_port"], a.jar, a.jvm_flags.split(),
                                     "/hook-signed/bench", "whsec_" + "A" * 43)
        url = f"https://127.0.0.1:{gh['port']}/{body}"
        hooks = None
        if body in ("unsigned", "captured"):
            import webhooks
            hooks = webhooks.WebhookScenario(argparse.Namespace(), work, gh["port"], gh["admin_port"],
                                             gh["proc"].pid, os.path.join(certs, "ca.crt"), webhooks.new_secret(),
                                             lambda m: print(m, file=sys.stderr))

        def load(seconds):
            if hooks is not None:
                return hooks.wrk_run(body, "1k", 64, 2, seconds, f"profile-{body}")
            if proto == "h1":
                return loadgen.wrk(url, 64, 2, seconds)
            return loadgen.h2load(url, 16, 4, 2, seconds, warmup_s=1)

        print(f"warm-up {a.warmup} s", file=sys.stderr)
        load(a.warmup)
        pid = gh["proc"].pid
        start = f"start,event={a.event},interval=1ms"
        agent(pid, lib, start)
        c0 = targets.cpu_ticks(pid)
        res = load(a.duration)
        c1 = targets.cpu_ticks(pid)
        # Loaded into the running JVM through jcmd (the same library, so the same profiler instance each time).
        agent(pid, lib, f"dump,file={out}.html")
        agent(pid, lib, f"stop,flat=60,traces=0,file={out}.txt")
        cpu_us = (c1 - c0) / os.sysconf("SC_CLK_TCK") * 1e6 / max(1, res.get("requests", 0))
        print(f"{a.case}: {res['rps']:.0f} req/s while sampled, {cpu_us:.1f} CPU us/request; {out}.html, {out}.txt")
    finally:
        procs.stop_all()


if __name__ == "__main__":
    main()
