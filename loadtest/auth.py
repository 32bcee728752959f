"""The auth part of the benchmark: what an SSO session and a bearer token cost Gatehouse per request, against a
real Keycloak (idp.py), measured against the same route without authentication.

A Gatehouse of its own (conf/gatehouse-auth.yaml) with three routes to the same static upstream 1 KiB file,
identical but for their auth: /none/ (auth none), /sso/ (auth sso, require_groups, sso.n8n_users on, so every
request also signs the n8n identity assertion) and /api/ (auth bearer with an audience). The session cookie comes
from one login through the gateway, like a browser's; the access token from the client credentials grant.

Interleaved rounds, like the throughput part: for each round, HTTP/1.1 (wrk) then HTTP/2 (h2load), each against
none, sso, bearer back to back. Reported: requests/s, the ratio to none per round and its median, Gatehouse's CPU
per request and what the session check and the bearer check add to it (sso - none, bearer - none, per round).
Goals (issue 10): each ratio >= 0.9, a session check <= 50 µs of CPU.

Two things the gateway does with time are kept out of the measurement:
  - It rewrites the session cookie (a new Set-Cookie, a re-encryption) on a request whose session was last seen
    more than 60 s before. A fixed cookie on wrk's command line would measure that on every request a minute into
    the part, so before every run one request takes the new cookie if there is one, and an sso run starts only with
    a cookie that stays under 60 s old until the run's end (else it waits for the rewrite and takes that cookie).
  - A session is revalidated at the IdP every revalidate_every (15m here) and a token expires (the realm gives an
    hour): the token is fetched again when it would expire within a run.
Any refused answer in a run fails the part (exit 3): the figures would not be of authenticated requests.
"""

import base64
import collections
import http.client
import json
import math
import os
import secrets as secrets_module
import ssl
import time

import auditlog
import idp
import loadgen
from figures import med, stats
import targets
from targets import cpu_ticks

ROUTES = {"none": "/none/", "sso": "/sso/", "bearer": "/api/"}
ROUTE_ORDER = ("none", "sso", "bearer")
PROTOCOLS = ("h1", "h2")
PROTOCOL_LABELS = {"h1": "HTTP/1.1", "h2": "HTTP/2"}
RATIO_GOAL = 0.9
SESSION_CHECK_GOAL_US = 50
# The gateway rewrites the session cookie on a request when the session's lastSeen is older than this
# (gateway: sso/web/SessionCheck.LAST_SEEN_GRANULARITY).
LAST_SEEN_REWRITE_S = 60
# A cookie is used for a run only if it stays this much under that age until the run ends.
COOKIE_MARGIN_S = 3
# The access token is fetched again when it would expire within a run and this.
TOKEN_MARGIN_S = 120
SECRETS = ("GATEHOUSE_BENCH_OIDC_SECRET", "GATEHOUSE_BENCH_COOKIE_SECRET", "GATEHOUSE_BENCH_N8N_HOOK_SECRET")
# For the results file: what was measured against what.
SETUP = {"routes": ROUTES, "config": "conf/gatehouse-auth.yaml", "realm_file": "conf/bench-realm.json",
         "realm": idp.REALM, "audience": idp.AUDIENCE, "session": "one login through the gateway",
         "token": "client credentials grant (the client's service account)"}


class ScenarioFailed(RuntimeError):
    """A route did not behave as configured, or a run got refused answers: its figures would mean nothing."""


class AuthScenario:
    """Starts Keycloak and the auth Gatehouse, logs in, runs the rounds, checks the access log; every run is kept
    raw in self.runs. Uses the bench's Processes, so whatever it started is stopped however the run ends."""

    def __init__(self, args, procs, work, certs, upstream_port, log):
        self.a = args
        self.procs = procs
        self.work = os.path.join(work, "auth")
        self.certs = certs
        self.cafile = os.path.join(certs, "ca.crt")
        self.upstream_port = upstream_port
        self.log = log
        # Fresh per run, for the realm's client (Keycloak reads it from its environment at import), the session
        # cookie's key and the n8n assertion; they reach Gatehouse through its environment too.
        self.secrets = {name: secrets_module.token_urlsafe(36) for name in SECRETS}
        self.runs = []
        self.checks = {}
        self.info = {}
        self.keycloak = self.gatehouse = None
        # The session cookie's value, and the bounds of the lastSeen it carries (time.time() seconds): the gateway
        # stamps it while answering, truncated to the second, so it is at least the floor of when the request was
        # sent and at most when the answer came.
        self.cookie = self.seen_from = self.seen_by = None
        self.token = self.token_claims = None
        self.subjects = {}
        self.session = {"cookies_taken": 0, "waited_s": 0.0, "max_age_at_run_end_s": 0.0}
        self.token_fetches = 0
        # Requests this scenario itself sent to be refused, per route: the access log's only other lines there.
        self.refusals_sent = collections.Counter()

    # ---- servers ---------------------------------------------------------------------------------------------
    def start(self):
        os.makedirs(self.work, exist_ok=True)
        home = idp.keycloak_home()
        port = targets.free_port()  # the gateway's, known before: it is in the realm's redirect URI
        self.log(f"auth: starting Keycloak ({home}) with realm {idp.REALM}")
        self.keycloak = idp.start_keycloak(self.procs, self.work, home, port,
                                           self.secrets["GATEHOUSE_BENCH_OIDC_SECRET"])
        self.gatehouse = targets.launch_gatehouse(
            self.procs, os.path.join(self.work, "gatehouse"), "gatehouse-auth", "gatehouse-auth.yaml", self.certs,
            {"UPSTREAM_PORT": self.upstream_port, "ISSUER": self.keycloak["issuer"]}, self.a.jar,
            self.a.jvm_flags.split(), self.secrets, ROUTES["none"] + "1k", port=port)
        # The load generators' URL, as the throughput part's; checks use it too, so they send what wrk sends.
        self.base = f"https://127.0.0.1:{port}"
        self.public = f"https://localhost:{port}"  # public_url: the session cookie's host, the IdP's redirect
        self.pid = self.gatehouse["proc"].pid
        self.info.update({"keycloak_start_s": self.keycloak["start_s"],
                          "tls": targets.negotiated(port, ["h2", "http/1.1"])})
        self.log(f"auth: Keycloak :{self.keycloak['port']} ready in {self.keycloak['start_s']:.0f} s, "
                 f"Gatehouse :{port}")

    def stop(self):
        for server in (self.gatehouse, self.keycloak):
            if server:
                self.procs.stop(server["proc"])

    # ---- credentials -----------------------------------------------------------------------------------------
    def get(self, path, headers=None):
        """(status, headers, body) of one GET to the gateway, over the load generators' address."""
        ctx = ssl.create_default_context(cafile=self.cafile)
        conn = http.client.HTTPSConnection("127.0.0.1", self.gatehouse["port"], context=ctx, timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()

    def log_in(self):
        self.cookie, sent, received = idp.log_in(self.public, self.cafile, ROUTES["sso"] + "1k")
        self.seen_from, self.seen_by = math.floor(sent), received
        self.refusals_sent["sso"] += 1  # the login's first request: a navigation without a session, sent to the IdP
        status, _, body = self.get("/_gatehouse/whoami", self.credentials("sso"))
        if status != 200:
            raise ScenarioFailed(f"/_gatehouse/whoami answered {status} with the new session")
        self.subjects["sso"] = json.loads(body)["subject"]
        self.fetch_token(0)
        aud = self.token_claims.get("aud")
        if idp.AUDIENCE not in (aud if isinstance(aud, list) else [aud]):
            raise ScenarioFailed(f"the access token's aud {aud!r} lacks {idp.AUDIENCE!r} (the realm's audience mapper)")
        self.subjects["bearer"] = self.token_claims["sub"]
        self.log(f"auth: logged in as {idp.USER} through the gateway (subject {self.subjects['sso']}); access token "
                 f"for the client's service account (subject {self.subjects['bearer']}, "
                 f"{self.token_claims['exp'] - int(time.time())} s left)")

    def fetch_token(self, seconds):
        """A new access token unless the one in hand outlives the next seconds (and a margin)."""
        if self.token and self.token_claims["exp"] - time.time() > seconds + TOKEN_MARGIN_S:
            return
        self.token, self.token_claims = idp.client_credentials(self.keycloak["token_endpoint"],
                                                               self.secrets["GATEHOUSE_BENCH_OIDC_SECRET"])
        self.token_fetches += 1

    def take_cookie(self):
        """One request with the session cookie; the gateway's Set-Cookie (a rewrite of lastSeen), if any, replaces
        it (then True). Every run starts with one of these, so the cookie in hand is never much older than a run."""
        sent = time.time()
        status, headers, _ = self.get(ROUTES["sso"] + "1k", self.credentials("sso"))
        received = time.time()
        if status != 200:
            raise ScenarioFailed(f"{ROUTES['sso']}1k answered {status} with the session cookie")
        for line in headers.get_all("Set-Cookie") or []:
            name, _, value = line.split(";", 1)[0].partition("=")
            if name.strip() == idp.SESSION_COOKIE and value.strip():
                self.cookie, self.seen_from, self.seen_by = value.strip(), math.floor(sent), received
                self.session["cookies_taken"] += 1
                return True
        return False

    def cookie_for(self, seconds):
        """A cookie that stays under the rewrite age until a run of seconds ends: the one in hand, or, when it could
        cross it, the one the gateway sets once it is due (waiting for that moment, at most about a run's length)."""
        self.take_cookie()
        if self.seen_from + LAST_SEEN_REWRITE_S - time.time() >= seconds + COOKIE_MARGIN_S:
            return
        # Due once the latest the lastSeen can be is over 60 s old; a few tries more cover a clock tick.
        wait = max(0.0, self.seen_by + LAST_SEEN_REWRITE_S + 0.5 - time.time())
        time.sleep(wait)
        self.session["waited_s"] += wait
        for _ in range(3):
            if self.take_cookie():
                return
            time.sleep(0.5)
            self.session["waited_s"] += 0.5
        raise ScenarioFailed(f"the gateway did not rewrite a session cookie last seen over {LAST_SEEN_REWRITE_S} s "
                             "ago (no Set-Cookie)")

    def credentials(self, route):
        if route == "sso":
            return {"Cookie": f"{idp.SESSION_COOKIE}={self.cookie}"}
        if route == "bearer":
            return {"Authorization": f"Bearer {self.token}"}
        return {}

    def redact(self, text):
        """text without the cookie or the token (wrk's argv is in error messages and in the results)."""
        for secret, name in ((self.cookie, "<session cookie>"), (self.token, "<access token>")):
            if secret:
                text = text.replace(secret, name)
        return text

    # ---- checks ----------------------------------------------------------------------------------------------
    def check_routes(self):
        """Before measuring: each route answers 200 (the whole 1 KiB) with its credential and refuses without it,
        so a refused request can never be counted as throughput."""
        # Well-formed (canonical base64url of as many bytes as the real signature) but not Keycloak's: the gateway
        # must check the signature itself, not only the token's shape.
        signed, signature = self.token.rsplit(".", 1)
        forged = signed + "." + base64.urlsafe_b64encode(os.urandom(len(signature) * 3 // 4)).decode().rstrip("=")
        navigate = {"Sec-Fetch-Mode": "navigate", "Accept": "text/html"}
        requests = {
            "none": (ROUTES["none"], {}),
            "sso_with_cookie": (ROUTES["sso"], self.credentials("sso")),
            "sso_without": (ROUTES["sso"], {}),
            "sso_navigation_without": (ROUTES["sso"], navigate),
            "bearer_with_token": (ROUTES["bearer"], self.credentials("bearer")),
            "bearer_without": (ROUTES["bearer"], {}),
            "bearer_forged_signature": (ROUTES["bearer"], {"Authorization": f"Bearer {forged}"}),
        }
        want = {"none": 200, "sso_with_cookie": 200, "sso_without": 401, "sso_navigation_without": 302,
                "bearer_with_token": 200, "bearer_without": 401, "bearer_forged_signature": 401}
        got, short = {}, []
        for name, (prefix, headers) in requests.items():
            status, _, body = self.get(prefix + "1k", headers)
            got[name] = status
            if want[name] != 200:
                self.refusals_sent[name.split("_")[0]] += 1
            if status == 200 and len(body) != targets.BODIES["1k"]:
                short.append(f"{name}: {len(body)} bytes")
        if got != want or short:
            raise ScenarioFailed(f"the auth routes do not behave as configured: got {got}, expected {want}"
                                 + (f"; short bodies: {short}" if short else ""))
        self.checks = got
        self.log(f"auth routes checked: {got}")

    def check_access_log(self):
        """After the part (the gateway stopped, its log complete): every request the load generators counted is
        logged with 200 and the identity its credential carries (the sso and bearer lines with their subject), and
        the only refusals logged are those this scenario sent on purpose (log_in, check_routes)."""
        counted = {r: sum(x.get("requests", 0) for x in self.runs if x["route"] == r) for r in ROUTE_ORDER}
        logged = count_access_lines(self.gatehouse["audit_dir"], self.subjects)
        problems = []
        for route in ROUTE_ORDER:
            m = logged.get(route, {})
            if m.get("ok", 0) < counted[route]:
                problems.append(f"{route}: {m.get('ok', 0)} lines with 200 and the expected identity for "
                                f"{counted[route]} requests counted")
            if m.get("refused", 0) != self.refusals_sent[route]:
                problems.append(f"{route}: {m.get('refused', 0)} refusals logged, {self.refusals_sent[route]} sent "
                                "on purpose")
        out = {"counted": counted, "logged": logged, "problems": problems}
        self.log(f"auth access log: { {r: logged.get(r) for r in ROUTE_ORDER} } for {counted} requests counted"
                 + ("" if not problems else f"; PROBLEMS: {problems}"))
        return out

    # ---- runs ------------------------------------------------------------------------------------------------
    def load(self, route, proto, duration, warmup=False):
        a = self.a
        if route == "sso":
            self.cookie_for(duration + (1 if proto == "h2" else 0))  # h2load's warm-up second
        else:
            self.take_cookie()  # keeps the cookie in hand young: fewer waits before the sso runs
        if route == "bearer":
            self.fetch_token(duration + 1)
        url = self.base + ROUTES[route] + "1k"
        headers = self.credentials(route)
        c0, t0 = cpu_ticks(self.pid), time.monotonic()
        try:
            if proto == "h1":
                res = loadgen.wrk(url, a.connections, a.threads, duration, headers=headers)
            else:
                res = loadgen.h2load(url, a.h2_clients, a.h2_streams, a.threads, duration, warmup_s=1,
                                     headers=headers)
        except RuntimeError as e:
            raise ScenarioFailed(self.redact(str(e))) from None
        c1, t1 = cpu_ticks(self.pid), time.monotonic()
        res["argv"] = [self.redact(x) for x in res["argv"]]
        res.update({"route": route, "proto": proto, "warmup": warmup, "wall_s": round(t1 - t0, 2),
                    "cpu_s": (c1 - c0) / os.sysconf("SC_CLK_TCK")})
        if route == "sso":
            # The oldest the cookie's lastSeen can have been when the run ended.
            res["cookie_age_at_end_s"] = round(time.time() - self.seen_from, 1)
            self.session["max_age_at_run_end_s"] = max(self.session["max_age_at_run_end_s"],
                                                       res["cookie_age_at_end_s"])
        if res.get("requests"):
            res["cpu_us_per_req"] = res["cpu_s"] * 1e6 / res["requests"]
        problems = []
        if res.get("errors"):
            problems.append(f"{res['errors']} errors (non-2xx or socket errors)")
        if (res.get("status") or {}).get("3xx"):
            problems.append(f"{res['status']['3xx']} redirects")
        if not res.get("requests"):
            problems.append("no request completed")
        if res.get("cookie_age_at_end_s", 0) >= LAST_SEEN_REWRITE_S:
            problems.append(f"the session cookie was {res['cookie_age_at_end_s']} s old at the end (rewritten)")
        if problems:
            raise ScenarioFailed(f"{PROTOCOL_LABELS[proto]} {route}{' warm-up' if warmup else ''}: "
                                 + "; ".join(problems))
        return res

    def warmup(self):
        s = self.a.auth_warmup
        if s <= 0:
            return
        # A fresh JVM: the JIT compiles each route's path (the session's AES-GCM and HMAC, the JWT's signature check)
        # during the first tens of seconds.
        self.log(f"auth warm-up: {s} s per route and protocol (discarded)")
        for proto in PROTOCOLS:
            for route in ROUTE_ORDER:
                self.runs.append(dict(self.load(route, proto, s, warmup=True), round=0))

    def rounds(self):
        a = self.a
        for rnd in range(1, a.rounds + 1):
            for proto in PROTOCOLS:
                line = []
                for route in ROUTE_ORDER:
                    res = self.load(route, proto, a.auth_duration)
                    res["round"] = rnd
                    self.runs.append(res)
                    line.append(f"{route} {res['rps']:.0f}/s p99 {res['p99_ms'] or 0:.2f}ms "
                                f"CPU {res.get('cpu_us_per_req', 0):.1f}µs/req")
                self.log(f"auth round {rnd} {PROTOCOL_LABELS[proto]}: " + " | ".join(line))

    def run(self):
        """Returns the access-log check; raises ScenarioFailed (after stopping its servers) when the part failed."""
        try:
            self.start()
            self.log_in()
            self.check_routes()
            self.warmup()
            self.rounds()
        finally:
            self.stop()
        self.info.update({"session": self.session, "token_fetches": self.token_fetches, "checks": self.checks,
                          "subjects": self.subjects})
        logcheck = self.check_access_log()
        self.info["access_log"] = logcheck
        if logcheck["problems"]:
            raise ScenarioFailed("access log: " + "; ".join(logcheck["problems"]))
        return logcheck


def count_access_lines(audit_dir, subjects):
    """Per route of the auth gateway, the request entries of its signed audit log: ok (200 with the route's subject;
    subjects: route -> subject, none expects no identity), closed (499 client_closed with that subject: a load
    generator stopping with requests in flight) and refused (anything else). Other kinds of entry (start, config,
    stop) are not requests and are left out."""
    # A request of the load is a line with exactly these members (absent: not in the line). Entries are canonical
    # JSON (auditlog.py), so each member is one exact run of bytes: found by substring tests, which read the ~1 GB a
    # part writes in seconds. Any other request entry is parsed whole.
    fast = {}
    for route, prefix in ROUTES.items():
        expected = {"client_ip": "127.0.0.1", "identity": subjects.get(route), "method": "GET",
                    "path": f"{prefix}1k", "query": None, "status": 200, "decision": "allow", "reason": "none"}
        fast[route] = (auditlog.member_needle("route", route),
                       [auditlog.member_needle(k, v) for k, v in expected.items() if v is not None],
                       [auditlog.absent_needle(k) for k, v in expected.items() if v is None])
    out = {route: {"lines": 0, "ok": 0, "closed": 0, "refused": 0} for route in ROUTES}
    for line in auditlog.entry_lines(audit_dir):
        if auditlog.REQUEST not in line:
            continue
        for route, (route_needle, present, absent) in fast.items():
            if route_needle in line and all(n in line for n in present) and not any(n in line for n in absent):
                out[route]["lines"] += 1
                out[route]["ok"] += 1
                break
        else:
            rec = json.loads(line)
            m = out.setdefault(rec.get("route"), {"lines": 0, "ok": 0, "closed": 0, "refused": 0})
            m["lines"] += 1
            mine = rec.get("identity") == subjects.get(rec.get("route"))
            if rec.get("status") == 200 and mine:
                m["ok"] += 1
            elif rec.get("status") == 499 and rec.get("reason") == "client_closed" and mine:
                m["closed"] += 1
            else:
                m["refused"] += 1
    return out


# ---- results ---------------------------------------------------------------------------------------------------
def summarize(runs, info, error=None):
    s = {"error": error, "keycloak_start_s": info.get("keycloak_start_s"), "tls": info.get("tls"),
         "session": info.get("session"), "token_fetches": info.get("token_fetches"),
         "access_log": info.get("access_log")}
    measured = [r for r in runs if not r.get("warmup")]
    for proto in PROTOCOLS:
        ps = {}
        for route in ROUTE_ORDER:
            rs = [r for r in measured if r["proto"] == proto and r["route"] == route]
            ps[route] = stats(rs, ("rps", "p50_ms", "p99_ms", "cpu_us_per_req"))
            ps[route]["runs"] = len(rs)
            ps[route]["errors"] = sum(r.get("errors", 0) for r in rs)
        for route, key in (("sso", "session_check"), ("bearer", "bearer_check")):
            ratios, added = [], []
            for rnd in sorted({r["round"] for r in measured}):
                base = [r for r in measured if r["proto"] == proto and r["round"] == rnd and r["route"] == "none"]
                this = [r for r in measured if r["proto"] == proto and r["round"] == rnd and r["route"] == route]
                if base and this:
                    if base[0]["rps"]:
                        ratios.append(this[0]["rps"] / base[0]["rps"])
                    if base[0].get("cpu_us_per_req") is not None and this[0].get("cpu_us_per_req") is not None:
                        added.append(this[0]["cpu_us_per_req"] - base[0]["cpu_us_per_req"])
            # Per round (each pair ran back to back, sharing the machine's noise), then the median of those.
            ps[f"ratio_{route}_none"] = med(ratios)
            ps[f"ratio_{route}_none_per_round"] = ratios
            ps[f"{key}_cpu_us"] = med(added)
            ps[f"{key}_cpu_us_per_round"] = added
        s[proto] = ps
    return s


def goals(s):
    g = {}
    if s.get("error"):
        g["auth_error"] = s["error"]
    ratios = {f"{proto}_{route}": s.get(proto, {}).get(f"ratio_{route}_none")
              for proto in PROTOCOLS for route in ("sso", "bearer")}
    if all(v is not None for v in ratios.values()):
        g["auth_ratio_to_none"] = ratios
        g["auth_ratio_met"] = all(v >= RATIO_GOAL for v in ratios.values())
    added = {proto: s.get(proto, {}).get("session_check_cpu_us") for proto in PROTOCOLS}
    if all(v is not None for v in added.values()):
        g["auth_session_check_cpu_us"] = added
        g["auth_session_check_met"] = all(v <= SESSION_CHECK_GOAL_US for v in added.values())
        g["auth_bearer_check_cpu_us"] = {proto: s[proto].get("bearer_check_cpu_us") for proto in PROTOCOLS}
    return g


def print_table(s, g, args):
    print(f"\nauth (Gatehouse only, GET 1 KiB; same routes but for auth; Keycloak {s.get('keycloak_start_s')} s to "
          "start):")
    if s.get("error"):
        print(f"  !!! SCENARIO FAILED: {s['error']}")
    tools = {"h1": f"wrk -c{args.connections}", "h2": f"h2load -c{args.h2_clients} -m{args.h2_streams}"}
    for proto in PROTOCOLS:
        ps = s.get(proto)
        if not ps or not ps["none"]["runs"]:
            continue
        print(f"  {PROTOCOL_LABELS[proto]}, {tools[proto]}:")
        for route in ROUTE_ORDER:
            m = ps[route]
            extra = ""
            if route != "none":
                key = "session_check" if route == "sso" else "bearer_check"
                rr = ", ".join(f"{x:.2f}" for x in ps[f"ratio_{route}_none_per_round"])
                ad = ", ".join(f"{x:+.1f}" for x in ps[f"{key}_cpu_us_per_round"])
                extra = (f"  {ps[f'ratio_{route}_none'] or 0:.2f}× none (per round: {rr}); "
                         f"{ps[f'{key}_cpu_us'] or 0:+.1f} µs (per round: {ad})")
            print(f"    {route:<7} {m['rps'] or 0:>9.0f} req/s  p50 {m['p50_ms'] or 0:>6.2f}  p99 {m['p99_ms'] or 0:>6.2f} ms"
                  f"  CPU {m['cpu_us_per_req'] or 0:>6.1f} µs/req{extra}")
    ses = s.get("session") or {}
    if ses:
        print(f"  session cookie: {ses['cookies_taken']} rewrites taken between runs, at most "
              f"{ses['max_age_at_run_end_s']:.0f} s old at a run's end (the gateway rewrites after "
              f"{LAST_SEEN_REWRITE_S} s), {ses['waited_s']:.0f} s waited for a rewrite")
    log = s.get("access_log") or {}
    if log:
        parts = []
        for route in ROUTE_ORDER:
            m = log["logged"].get(route) or {}
            parts.append(f"{route} {m.get('ok', 0):,} ok (200, {'no identity' if route == 'none' else 'its subject'}) "
                         f"+ {m.get('closed', 0)} closed in flight + {m.get('refused', 0)} refused, for "
                         f"{log['counted'][route]:,} counted")
        print("  access log: " + "; ".join(parts))
        for problem in log.get("problems") or ():
            print(f"  !!! {problem}")
    print(f"  goals: each ratio ≥ {RATIO_GOAL}× none: " + _met(g.get("auth_ratio_met"))
          + f"; session check ≤ {SESSION_CHECK_GOAL_US} µs: " + _met(g.get("auth_session_check_met")))


def _met(v):
    return "n/a" if v is None else ("met" if v else "NOT met")
