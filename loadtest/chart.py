#!/usr/bin/env python3
"""Draws the benchmark's results (results/latest.json) as an SVG bar chart, by hand (stdlib only).

Usage: chart.py RESULTS.json OUT.svg
"""

import json
import math
import os
import sys
from xml.sax.saxutils import escape

COLORS = {"direct": "#9e9e9e", "nginx": "#2e7d32", "gatehouse": "#1565c0",
          "idle": "#bdbdbd", "unsigned": "#64b5f6", "signed": "#0d47a1",
          "none": "#90a4ae", "sso": "#6a1b9a", "bearer": "#ef6c00",
          "plain": "#a1887f", "signed_log": "#00695c", "writer": "#00897b", "verify": "#4db6ac",
          "unlimited": "#b0bec5", "limited": "#1e88e5", "two_limits": "#3949ab", "redis": "#d32f2f",
          "flood": "#f9a825", "redis_server": "#5d4037"}
LABELS = {"direct": "direct (no proxy)", "nginx": "nginx (TLS proxy)", "gatehouse": "Gatehouse",
          "idle": "probe alone (no uploads)", "unsigned": "webhook route, signature: off",
          "signed": "webhook route, signature: required",
          "none": "route auth: none", "sso": "auth: sso (session cookie)", "bearer": "auth: bearer (JWT)",
          "plain": "plain access log (97ad33b)", "signed_log": "signed audit log (this tree)",
          "unlimited": "route without rate_limit", "limited": "client_ip limit, local store",
          "two_limits": "client_ip + route limits, local", "redis": "client_ip limit, Redis store",
          "flood": "flooded route (every answer 429)", "redis_server": "redis-server"}
WEBHOOK_SERIES = ("idle", "unsigned", "signed")
AUTH_SERIES = ("none", "sso", "bearer")  # auth.py's routes, in its order
AUDIT_SERIES = ("plain", "signed_log")  # audit.py's gateways ("signed" is the webhook route's series)
AUDIT_CASES = {"h1-1k": "HTTP/1.1 1 KiB", "h2-1k": "HTTP/2 1 KiB"}
RATELIMIT_SERIES = ("unlimited", "limited", "two_limits", "redis", "flood")  # ratelimit.py's series, in its order
RATELIMIT_FIXED = ("unlimited", "limited", "redis")  # its fixed-rate series
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def nice_max(v):
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * exp >= v:
            return m * exp
    return 10 * exp


def fmt(v):
    if v is None:
        return "n/a"
    if v == 0:
        return "0"
    if v >= 10000:
        return f"{v / 1000:.1f}k"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


class Svg:
    def __init__(self, width, height):
        self.width, self.height, self.parts = width, height, []

    def text(self, x, y, s, size=12, anchor="start", weight="normal", color="#222", rotate=None):
        tr = f" transform='rotate({rotate} {x:.1f} {y:.1f})'" if rotate else ""
        self.parts.append(f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
                          f"font-weight='{weight}' fill='{color}' {FONT}{tr}>{escape(str(s))}</text>")

    def rect(self, x, y, w, h, fill, stroke="none"):
        self.parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{max(w, 0):.1f}' height='{max(h, 0):.1f}' "
                          f"fill='{fill}' stroke='{stroke}'/>")

    def line(self, x1, y1, x2, y2, color="#444", width=1, dash=None):
        d = f" stroke-dasharray='{dash}'" if dash else ""
        self.parts.append(f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{color}' "
                          f"stroke-width='{width}'{d}/>")

    def render(self):
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{self.width}' height='{self.height}' "
                f"viewBox='0 0 {self.width} {self.height}'>\n<rect width='100%' height='100%' fill='white'/>\n"
                + "\n".join(self.parts) + "\n</svg>\n")


def panel(svg, x, y, w, h, title, unit, categories, subtitle=None, goal=None, marks=()):
    """categories: [(label, [(series, value, lo, hi)])]; draws grouped bars with min-max whiskers. goal: (value,
    label) drawn across the panel; marks: [(category index, value, label)], a goal drawn over one category only."""
    svg.rect(x, y, w, h, "#fafafa", "#ddd")
    svg.text(x + w / 2, y + 18, title, 13, "middle", "bold")
    if subtitle:
        svg.text(x + w / 2, y + 34, subtitle, 11, "middle", color="#444")
    left, right, top, bottom = x + 52, x + w - 10, y + (44 if subtitle else 30), y + h - 26
    values = [max(v or 0, hi or 0) for _, bars in categories for _, v, _, hi in bars]
    if goal:
        values.append(goal[0])
    values += [v for _, v, _ in marks]
    vmax = nice_max(max(values + [0]) * 1.12)
    for i in range(5):
        gv = vmax * i / 4
        gy = bottom - (bottom - top) * i / 4
        svg.line(left, gy, right, gy, "#e0e0e0")
        svg.text(left - 4, gy + 4, fmt(gv), 10, "end", color="#555")
    svg.text(x + 12, (top + bottom) / 2, unit, 10, "middle", color="#555", rotate=-90)
    svg.line(left, bottom, right, bottom, "#888")
    cw = (right - left) / max(1, len(categories))
    for ci, (label, bars) in enumerate(categories):
        cx = left + ci * cw
        bw = min(42.0, (cw - 16) / max(1, len(bars)))
        start = cx + (cw - bw * len(bars)) / 2
        for bi, (series, v, lo, hi) in enumerate(bars):
            bx = start + bi * bw
            if v is None:
                svg.text(bx + bw / 2, bottom - 4, "n/a", 9, "middle")
                continue
            bh = (bottom - top) * v / vmax
            svg.rect(bx + 2, bottom - bh, bw - 4, bh, COLORS[series])
            if lo is not None and hi is not None and hi > lo:
                ylo = bottom - (bottom - top) * lo / vmax
                yhi = bottom - (bottom - top) * hi / vmax
                mx = bx + bw / 2
                svg.line(mx, ylo, mx, yhi, "#000", 1)
                svg.line(mx - 4, ylo, mx + 4, ylo, "#000", 1)
                svg.line(mx - 4, yhi, mx + 4, yhi, "#000", 1)
            label_y = bottom - bh - 4 if hi is None else min(bottom - bh, bottom - (bottom - top) * hi / vmax) - 4
            svg.text(bx + bw / 2, max(label_y, top + 9), fmt(v), 10, "middle")
        svg.text(cx + cw / 2, bottom + 15, label, 11, "middle")
    if goal:
        gy = bottom - (bottom - top) * goal[0] / vmax
        svg.line(left, gy, right, gy, "#c62828", 1.5, "6,4")
        svg.text(left + 4, gy - 4, goal[1], 10, "start", color="#c62828")
    for ci, v, label in marks:
        gy = bottom - (bottom - top) * v / vmax
        svg.line(left + ci * cw + 4, gy, left + (ci + 1) * cw - 4, gy, "#c62828", 1.5, "6,4")
        svg.text(left + (ci + 0.5) * cw, gy - 4, label, 10, "middle", color="#c62828")


def main(results_path, out_path):
    with open(results_path) as f:
        r = json.load(f)
    s = r["summary"]
    cases = list(r.get("cases") or [])
    hooks = s.get("webhooks")
    logins = s.get("auth")
    logs = s.get("audit")
    limits = s.get("ratelimit")
    bottom = any(k in s for k in ("fixed_rate", "memory", "cpu_per_request_us"))
    rows = ((2 if cases else 0) + (1 if bottom else 0) + (1 if hooks else 0) + (1 if logins else 0) + (1 if logs else 0)
            + (2 if limits else 0))
    W, PW, PH = 1280, 300, 250
    legend_h = 18 * (max(1, bool(cases) + bool(hooks) + bool(logins) + bool(logs) + bool(limits)) - 1)
    errors = sum(1 for part in (hooks, logins, logs, limits) if part and part.get("error"))
    svg = Svg(W, 40 + 70 + legend_h + rows * (PH + 20) + 40 + 18 * errors)
    env = r["environment"]
    svg.text(20, 30, "Gatehouse vs nginx (TLS reverse proxies) vs direct-to-upstream" if cases else
             "Gatehouse: signed vs unsigned webhooks" if hooks else
             "Gatehouse: what an SSO session and a bearer token cost" if logins else
             "Gatehouse: the signed audit log" if logs else
             "Gatehouse: what a rate limit costs (local and Redis store)", 20, weight="bold")
    secs = (r['settings']['duration'] if cases else r['settings'].get('webhook_duration') if hooks else
            r['settings'].get('auth_duration') if logins else r['settings'].get('audit_duration') if logs else
            r['settings'].get('ratelimit_duration')) or r['settings']['duration']
    svg.text(20, 52, f"{r['started']} · {env['cpus']} cores shared by load generator, proxy and upstream · "
                     f"{r['settings']['rounds']} interleaved rounds × {secs} s · "
                     f"bars = median, whiskers = min–max over rounds · load avg at start {env['loadavg_start']}",
             12, color="#444")
    tools = (f"HTTP/1.1: wrk -t{r['settings']['threads']} -c{r['settings']['connections']} · HTTP/2: h2load "
             f"-c{r['settings']['h2_clients']} -m{r['settings']['h2_streams']}" + (" (direct = h2c)" if cases else "")
             if cases or not hooks else "scheme standard, local replay store, every delivery unique")
    svg.text(20, 70, f"Gatehouse JVM: {' '.join(r['gatehouse']['jvm_flags'])} · {tools}", 12, color="#444")
    y = 82
    for group in ((("direct", "nginx", "gatehouse"),) if cases else ()) + ((WEBHOOK_SERIES,) if hooks else ()) \
            + ((AUTH_SERIES,) if logins else ()) + ((AUDIT_SERIES,) if logs else ()) \
            + ((RATELIMIT_SERIES,) if limits else ()):
        lx = 20
        for series in group:
            svg.rect(lx, y, 14, 14, COLORS[series])
            svg.text(lx + 20, y + 12, LABELS[series], 12)
            lx += 250 if series in WEBHOOK_SERIES + AUTH_SERIES + AUDIT_SERIES + RATELIMIT_SERIES else 190
        y += 18
    y0 = 110 + legend_h

    for row, metric in enumerate(("rps", "p99_ms") if cases else ()):
        for i, members in enumerate(case_groups(cases)):
            throughput_panel(svg, s["throughput"], members, metric, 20 + i * (PW + 10), y0 + row * (PH + 20), PW, PH)
    y2 = y0 + (2 * (PH + 20) if cases else 0)
    fr = s.get("fixed_rate")
    if fr:
        cats = []
        for q in ("p50_ms", "p99_ms"):
            cats.append((q.split("_")[0], [(t, fr[t][q], fr[t].get(q + "_min"), fr[t].get(q + "_max"))
                                          for t in ("direct", "nginx", "gatehouse") if t in fr]))
        added = fr.get("gatehouse_minus_nginx_p99_ms")
        # The rate is half of nginx's HTTP/1.1 1 KiB capacity (README); too long a title for one panel.
        panel(svg, 20, y2, PW, PH, f"latency at a fixed {fr['rate_rps']:,.0f} req/s", "ms", cats,
              f"Gatehouse − nginx p99 = {added:+.2f} ms (goal ≤ +0.5)" if added is not None else None)
    mem = s.get("memory")
    if mem:
        memory_panel(svg, mem, 20 + (PW + 10), y2, PW, PH)
    cpu = s.get("cpu_per_request_us")
    if cpu:
        # Twice as wide as the others: one category per case, the guarded ones included.
        cats = [(short_label(c), [(t, cpu[c].get(t), None, None) for t in ("nginx", "gatehouse")]) for c in cases]
        panel(svg, 20 + 2 * (PW + 10), y2, 2 * PW + 10, PH, "proxy CPU time per request", "µs", cats,
              "median over rounds (less sensitive to noise)")
    if hooks:
        webhook_row(svg, hooks, r["settings"], y2 + (PH + 20 if bottom else 0), PW, PH)
    if logins:
        auth_row(svg, logins, r["settings"], y2 + (PH + 20 if bottom else 0) + (PH + 20 + (18 if hooks.get("error")
                                                                                         else 0) if hooks else 0),
                 PW, PH)
    if logs:
        above = sum(PH + 20 + (18 if part.get("error") else 0) for part in (hooks, logins) if part)
        audit_row(svg, logs, y2 + (PH + 20 if bottom else 0) + above, PW, PH)
    if limits:
        above = sum(PH + 20 + (18 if part.get("error") else 0) for part in (hooks, logins, logs) if part)
        ratelimit_row(svg, limits, r["settings"], y2 + (PH + 20 if bottom else 0) + above, PW, PH)
    name = os.path.basename(results_path)
    svg.text(20, svg.height - 14, f"Generated by loadtest/run-benchmark.sh; numbers in loadtest/results/{name}.",
             11, color="#666")
    with open(out_path, "w") as f:
        f.write(svg.render())


def memory_panel(svg, mem, x, y, PW, PH):
    """RSS with each count of idle TLS connections held, with Gatehouse's goal over its count, and the run's peak."""
    counts = mem.get("counts") or [1000]  # results from before --hold took a list held 1,000
    goals = mem.get("gatehouse_goal_mib", {"1000": 256})  # and had one goal, 256 MiB
    cats, marks = [], []
    for i, count in enumerate(counts):
        cats.append((f"{count:,} conns", [(t, mem[t].get(f"rss_{count}_conns_mib"), None, None)
                                          for t in ("nginx", "gatehouse") if t in mem]))
        if str(count) in goals:
            marks.append((i, goals[str(count)], f"goal {goals[str(count)]}"))
    cats.append(("peak (VmHWM)", [(t, mem[t]["peak_mib"], None, None) for t in ("nginx", "gatehouse") if t in mem]))
    panel(svg, x, y, PW, PH, "memory (proxy process tree)", "MiB", cats,
          "RSS with idle TLS keep-alive connections open", marks=marks)


def webhook_row(svg, h, settings, y, PW, PH):
    """Signed vs unsigned webhooks on Gatehouse: 1 KiB throughput, 1 MiB latency, the event-loop probe, CPU."""
    def bars(m, key, series):
        return (series, m.get(key), m.get(key + "_min"), m.get(key + "_max"))

    if h.get("error"):
        svg.text(20, y + 14, f"WEBHOOK SCENARIO FAILED: {h['error']}"[:180], 12, weight="bold", color="#c62828")
        y += 18
    k, m = h.get("h1_1k", {}), h.get("h1_1m", {})
    if k.get("unsigned", {}).get("runs"):
        ratio = k.get("ratio_rps")
        panel(svg, 20, y, PW, PH, f"webhooks · 1 KiB POST, -c{settings['connections']}", "requests/s",
              [("", [bars(k["unsigned"], "rps", "unsigned"), bars(k["signed"], "rps", "signed")])],
              f"signed/unsigned = {ratio:.2f}× (goal ≥ 0.95×)" if ratio is not None else None)
    if m.get("unsigned", {}).get("runs"):
        added = m.get("added_p50_ms")
        panel(svg, 20 + (PW + 10), y, PW, PH,
              f"webhooks · 1 MiB POST, -c{settings.get('webhook_latency_connections', 4)}", "ms",
              [(q.split("_")[0], [bars(m["unsigned"], q, "unsigned"), bars(m["signed"], q, "signed")])
               for q in ("p50_ms", "p99_ms")],
              f"signed − unsigned p50 = {added:+.2f} ms (goal ≤ +3 ms)" if added is not None else None)
    el = h.get("event_loop", {})
    if el.get("idle", {}).get("runs"):
        jump = el.get("p99_signed_minus_unsigned_ms")
        panel(svg, 20 + 2 * (PW + 10), y, PW, PH,
              f"event loop · {settings.get('webhook_probe_rate', 0):g} GET/s probe", "ms",
              [(q.split("_")[0], [bars(el["idle"], q, "idle"), bars(el["unsigned"], q, "unsigned"),
                                  bars(el["signed"], q, "signed")]) for q in ("p50_ms", "p99_ms")],
              f"p99 beside signed − unsigned uploads {jump:+.2f} ms" if jump is not None else None)
    if k.get("unsigned", {}).get("runs"):
        cats = [(label, [(r, c[r].get("cpu_us_per_req"), None, None) for r in ("unsigned", "signed")])
                for label, c in (("1 KiB", k), ("1 MiB", m)) if c.get("unsigned", {}).get("runs")]
        panel(svg, 20 + 3 * (PW + 10), y, PW, PH, "webhooks · CPU per request", "µs", cats,
              "median over rounds")


def auth_row(svg, a, settings, y, PW, PH):
    """The auth part: requests/s per route for HTTP/1.1 and HTTP/2, p99, and CPU per request with what the
    session and bearer checks add."""
    def bars(m, key, series):
        return (series, m.get(key), m.get(key + "_min"), m.get(key + "_max"))

    if a.get("error"):
        svg.text(20, y + 14, f"AUTH SCENARIO FAILED: {a['error']}"[:180], 12, weight="bold", color="#c62828")
        y += 18
    tools = {"h1": f"HTTP/1.1, wrk -c{settings['connections']}",
             "h2": f"HTTP/2, h2load -c{settings['h2_clients']} -m{settings['h2_streams']}"}
    for i, proto in enumerate(("h1", "h2")):
        p = a.get(proto) or {}
        if not (p.get("none") or {}).get("runs"):
            continue
        ratios = [f"{route} {p[f'ratio_{route}_none']:.2f}×" for route in ("sso", "bearer")
                  if p.get(f"ratio_{route}_none") is not None]
        panel(svg, 20 + i * (PW + 10), y, PW, PH, f"auth · {tools[proto]}", "requests/s",
              [("", [bars(p[route], "rps", route) for route in AUTH_SERIES])],
              "÷ none: " + ", ".join(ratios) + " (goal ≥ 0.9×)" if ratios else None)
    cats, notes = [], []
    for proto in ("h1", "h2"):
        p = a.get(proto) or {}
        if (p.get("none") or {}).get("runs"):
            cats.append(("HTTP/1.1" if proto == "h1" else "HTTP/2", [bars(p[route], "p99_ms", route)
                                                                     for route in AUTH_SERIES]))
    if cats:
        panel(svg, 20 + 2 * (PW + 10), y, PW, PH, "auth · p99 latency", "ms", cats)
    cats = []
    for proto in ("h1", "h2"):
        p = a.get(proto) or {}
        if (p.get("none") or {}).get("runs"):
            cats.append(("HTTP/1.1" if proto == "h1" else "HTTP/2",
                         [bars(p[route], "cpu_us_per_req", route) for route in AUTH_SERIES]))
            if p.get("session_check_cpu_us") is not None:
                notes.append(f"{'h1' if proto == 'h1' else 'h2'} +{p['session_check_cpu_us']:.0f}")
    if cats:
        panel(svg, 20 + 3 * (PW + 10), y, PW, PH, "auth · Gatehouse CPU per request", "µs", cats,
              "session check µs: " + ", ".join(notes) + " (goal ≤ 50)" if notes else "median over rounds")


def audit_row(svg, a, y, PW, PH):
    """The audit part: the gateway's req/s and CPU per request with the plain and the signed log, the writer's and
    verify-log's entries per CPU-second, and how long a written entry waits for its signed checkpoint."""
    def bars(m, key, series):
        return (series, m.get(key), m.get(key + "_min"), m.get(key + "_max"))

    if a.get("error"):
        svg.text(20, y + 14, f"AUDIT SCENARIO FAILED: {a['error']}"[:180], 12, weight="bold", color="#c62828")
        y += 18
    gw = {case: c for case, c in (a.get("gateway") or {}).items() if (c.get("plain") or {}).get("runs")}
    if gw:
        ratios = [f"{c['ratio_rps']:.2f}×" for c in gw.values() if c.get("ratio_rps") is not None]
        panel(svg, 20, y, PW, PH, "audit · gateway throughput", "requests/s",
              [(AUDIT_CASES.get(case, case), [bars(c["plain"], "rps", "plain"), bars(c["signed"], "rps", "signed_log")])
               for case, c in gw.items()],
              "signed/plain = " + ", ".join(ratios) + " (goal ≥ 0.95×)" if ratios else None)
        panel(svg, 20 + (PW + 10), y, PW, PH, "audit · gateway CPU per request", "µs",
              [(AUDIT_CASES.get(case, case), [bars(c["plain"], "cpu_us_per_req", "plain"),
                                              bars(c["signed"], "cpu_us_per_req", "signed_log")])
               for case, c in gw.items()], "median over rounds")
    w, v = a.get("writer") or {}, a.get("verify") or {}
    if w.get("runs") or v.get("runs"):
        def k(m, key):
            return [None if m.get(key + x) is None else m[key + x] / 1000 for x in ("", "_min", "_max")]
        cats, marks = [], []
        if w.get("runs"):
            cats.append(("writer thread", [("writer", *k(w, "entries_per_writer_cpu_s"))]))
            marks.append((len(cats) - 1, 200, "goal 200k"))
        if v.get("runs"):
            cats.append(("verify-log", [("verify", *k(v, "entries_per_cpu_s"))]))
            marks.append((len(cats) - 1, 1000, "goal 1,000k"))
        panel(svg, 20 + 2 * (PW + 10), y, PW, PH, "audit · entries per CPU-second", "thousand entries", cats,
              f"{(w.get('entries') or v.get('entries') or 0):,} entries per round", marks=marks)
    c = (a.get("checkpoint_cover") or {}).get("at_end")
    if c and c.get("checkpoints"):
        cats = [(q, [("signed_log", c.get(f"{q}_le_s"), None, None)]) for q in ("p50", "p99")]
        panel(svg, 20 + 3 * (PW + 10), y, PW, PH, "audit · entry to signed checkpoint", "s (bucket bound)", cats,
              f"{c['checkpoints']:.0f} checkpoints, mean {c['mean_s']:.2f} s", goal=(1.5, "goal p99 ≤ 1.5 s"))


def ratelimit_row(svg, rl, settings, y, PW, PH):
    """The ratelimit part, two rows of double-width panels (five series a category): requests/s and Gatehouse's CPU
    per request of each series on both protocols, then p99 under saturation and the latency at a fixed rate of the
    local and the Redis store."""
    def bars(m, key, series):
        return (series, m.get(key), m.get(key + "_min"), m.get(key + "_max"))

    if rl.get("error"):
        svg.text(20, y + 14, f"RATELIMIT SCENARIO FAILED: {rl['error']}"[:180], 12, weight="bold", color="#c62828")
        y += 18
    wide = 2 * PW + 10
    protos = [(p, "HTTP/1.1" if p == "h1" else "HTTP/2") for p in ("h1", "h2")
              if ((rl.get(p) or {}).get("unlimited") or {}).get("runs")]
    if protos:
        ratios = []
        for series, short in (("limited", "one limit"), ("two_limits", "two limits"), ("redis", "Redis store")):
            vs = [rl[p].get(f"ratio_{series}_unlimited") for p, _ in protos]
            if all(v is not None for v in vs):
                ratios.append(f"{short} " + " / ".join(f"{v:.2f}×" for v in vs))
        panel(svg, 20, y, wide, PH, "rate limits · throughput (goal: one and two limits ≥ 0.97× unlimited)",
              "requests/s",
              [(label, [bars(rl[p][series], "rps", series) for series in RATELIMIT_SERIES]) for p, label in protos],
              f"÷ unlimited, {' / '.join(label for _, label in protos)}: " + ", ".join(ratios) if ratios else None)
        notes = [f"{label} {rl[p]['added_cpu_us_flood']:+.1f} µs" for p, label in protos
                 if rl[p].get("added_cpu_us_flood") is not None]
        panel(svg, 20 + wide + 10, y, wide, PH, "rate limits · Gatehouse CPU per request (median over rounds)", "µs",
              [(label, [bars(rl[p][series], "cpu_us_per_req", series) for series in RATELIMIT_SERIES])
               for p, label in protos],
              "a 429 of the flood − an allowed request (unlimited): " + ", ".join(notes) + " (goal < 0)"
              if notes else None)
        y += PH + 20
        panel(svg, 20, y, wide, PH, "rate limits · p99 latency under saturation", "ms",
              [(label, [bars(rl[p][series], "p99_ms", series) for series in RATELIMIT_SERIES]) for p, label in protos])
    fr = rl.get("fixed_rate")
    if fr and (fr.get("limited") or {}).get("runs"):
        added = fr.get("redis_minus_local_p99_ms")
        panel(svg, 20 + wide + 10, y, PW, PH, f"rate limits · at a fixed {fr.get('rate_rps', 0):,.0f} req/s", "ms",
              [("p99.9" if q == "p99_9_ms" else q.split("_")[0],
                [bars(fr[series], q, series) for series in RATELIMIT_FIXED]) for q in ("p50_ms", "p99_ms", "p99_9_ms")],
              f"Redis − local p99 = {added:+.2f} ms (goal ≤ +1)" if added is not None else None)
    cats = [(label, [bars(rl[p]["limited"], "cpu_us_per_req", "limited"),
                     bars(rl[p]["redis"], "cpu_us_per_req", "redis"),
                     bars(rl[p]["redis"], "redis_cpu_us_per_req", "redis_server")]) for p, label in protos]
    if fr and (fr.get("redis") or {}).get("runs"):
        cats.append(("fixed rate", [bars(fr["limited"], "cpu_us_per_req", "limited"),
                                    bars(fr["redis"], "cpu_us_per_req", "redis"),
                                    bars(fr["redis"], "redis_cpu_us_per_req", "redis_server")]))
    if cats:
        panel(svg, 20 + wide + PW + 20, y, PW, PH, "rate limits · CPU per request by store", "µs", cats,
              "Gatehouse local, Gatehouse Redis, redis-server")


GUARDED = "-guarded"  # bench.py's suffix for a case through the route with every guard on


def case_groups(cases):
    """A plain case and its guarded twin share a panel: [["h1-1k", "h1-1k-guarded"], ["h1-1m"], ...]."""
    groups = {}
    for case in cases:
        groups.setdefault(case.removesuffix(GUARDED), []).append(case)
    return list(groups.values())


def throughput_panel(svg, throughput, members, metric, x, y, PW, PH):
    """One body size and protocol: the plain route's bars, and the guarded route's beside them when it ran."""
    cats, ratios = [], []
    for case in members:
        cs = throughput[case]
        guarded = case.endswith(GUARDED)
        bars = [(t, cs[t][metric], cs[t][metric + "_min"], cs[t][metric + "_max"])
                for t in ("direct", "nginx", "gatehouse") if t in cs]
        label = ("guarded route" if guarded else "plain route") if len(members) > 1 else ""
        cats.append((label, bars))
        ratio = cs.get("ratio_rps_gatehouse_nginx" if metric == "rps" else "ratio_p99_gatehouse_nginx")
        if ratio is not None:
            ratios.append(f"{ratio:.2f}×" + (f" {label.split()[0]}" if label else ""))
    title = "throughput" if metric == "rps" else "p99 latency"
    panel(svg, x, y, PW, PH, f"{title} · {case_label(members[0])}", "requests/s" if metric == "rps" else "ms", cats,
          "Gatehouse/nginx = " + ", ".join(ratios) if ratios else None)


def case_label(case):
    proto, body = case.split("-")[:2]
    return ("HTTP/1.1" if proto == "h1" else "HTTP/2") + " " + ("1 KiB" if body == "1k" else "1 MiB")


def short_label(case):
    """"h1 1k", "h1 1k guarded": fits a sixth of a double-width panel."""
    return case.replace("-", " ")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
