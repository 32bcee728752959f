"""The benchmark's identity provider: a real Keycloak on loopback with the realm conf/bench-realm.json, and the two
ways the auth part gets credentials from it: a browser-like login through the gateway (for a session cookie) and
the client credentials grant (for a bearer token). Python 3 stdlib only.

Keycloak is the install scripts/install-keycloak.sh caches (~/.cache/gatehouse/keycloak-<version>), started in dev
mode as ./gatehouse-dev and the tests' KeycloakServer start it: an in-memory database (the realm is imported afresh
at every start), its import folder, transaction log and console log in the run's temp dir, nothing written to the
shared install. The realm names its client secret as a ${...} placeholder that Keycloak fills in from its
environment when it imports, so the secret is never written into a file.
"""

import base64
import html
import http.client
import json
import os
import re
import ssl
import subprocess
import time
import urllib.parse

import targets

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REALM = "gatehouse-bench"
CLIENT_ID = "gatehouse"
# The realm's one user, in group n8n-users. A fixed password: the realm is local, throwaway and on loopback only.
USER = "bench"
PASSWORD = "bench-Password-1"
AUDIENCE = "n8n-api"  # what the realm's audience mapper adds to access tokens; route bearer requires it
SESSION_COOKIE = "__Host-gatehouse-session"
# Keycloak's first start after an install builds the server for dev mode (the install script does that once), a
# normal start takes 20-60 s on 2 cores, and minutes when other builds load the machine.
READY_TIMEOUT_S = 600
LOGIN_FORM = re.compile(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"')


class LoginFailed(RuntimeError):
    """A step of getting credentials did not answer as Keycloak and Gatehouse should. Never carries a secret."""


def keycloak_home():
    """The Keycloak install: $GATEHOUSE_KEYCLOAK_HOME, else what scripts/install-keycloak.sh prints (it installs
    on first use, a no-op later)."""
    home = os.environ.get("GATEHOUSE_KEYCLOAK_HOME", "").strip()
    if not home:
        script = os.path.join(ROOT, "scripts", "install-keycloak.sh")
        out = subprocess.run([script], stdout=subprocess.PIPE, text=True)
        lines = out.stdout.strip().splitlines()
        if out.returncode != 0 or not lines:
            raise RuntimeError(f"Keycloak could not be installed by {script} (its messages are above); or set "
                               "GATEHOUSE_KEYCLOAK_HOME to an install folder")
        home = lines[-1]
    if not os.access(os.path.join(home, "bin", "kc.sh"), os.X_OK):
        raise RuntimeError(f"no Keycloak install in {home} (expected bin/kc.sh): run scripts/install-keycloak.sh")
    return home


def start_keycloak(procs, work, home, gateway_port, client_secret):
    """Keycloak on free loopback ports with the bench realm, its redirect URI the gateway's callback on
    gateway_port. Returns once the realm's discovery document answers."""
    port, management = targets.free_port(), targets.free_port()
    data = os.path.join(work, "keycloak")
    import_dir = os.path.join(data, "import")
    os.makedirs(import_dir, exist_ok=True)
    targets.render("bench-realm.json", os.path.join(import_dir, f"{REALM}-realm.json"),
                   {"GATEHOUSE_PORT": gateway_port})
    base = f"http://127.0.0.1:{port}"
    argv = [os.path.join(home, "bin", "kc.sh"), "start-dev", "--db=dev-mem", "--http-host=127.0.0.1",
            f"--http-port={port}", f"--http-management-port={management}", f"--hostname={base}",
            # What --import-realm sets, naming this run's folder instead of the shared install's data/import.
            f"-Dkeycloak.migration.dir={import_dir}",
            f"-Dquarkus.transaction-manager.object-store.directory={os.path.join(data, 'transaction-logs')}"]
    env = dict(os.environ, GATEHOUSE_BENCH_OIDC_SECRET=client_secret, JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m")
    log = os.path.join(data, "keycloak.log")
    t0 = time.monotonic()
    proc = procs.start("keycloak", argv, log, env=env, cwd=data)
    issuer = f"{base}/realms/{REALM}"
    try:
        targets.wait_until(lambda: targets.fetch(f"{issuer}/.well-known/openid-configuration")[0] == 200,
                           "keycloak", READY_TIMEOUT_S, proc)
    except RuntimeError as e:
        raise RuntimeError(f"{e}; its log ends:\n{tail(log)}") from None
    return {"proc": proc, "port": port, "issuer": issuer, "log": log, "start_s": round(time.monotonic() - t0, 1),
            "token_endpoint": f"{issuer}/protocol/openid-connect/token"}


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return f"(no log: {e})"


class Browser:
    """Just enough of a browser for a login: a cookie jar per host, no redirects followed, the dev CA trusted. The
    jar is ours because http.cookiejar never sends a Secure cookie over plain http, and Keycloak on loopback http
    marks its login cookies Secure (a browser treats loopback as a secure context)."""

    def __init__(self, cafile):
        self.tls = ssl.create_default_context(cafile=cafile)
        self.jar = {}  # host -> {name: value}

    def request(self, method, url, headers=None, body=None):
        """(status, headers, body) of one request, the host's cookies sent and the answer's Set-Cookie kept."""
        u = urllib.parse.urlsplit(url)
        if u.scheme == "https":
            conn = http.client.HTTPSConnection(u.hostname, u.port, context=self.tls, timeout=30)
        else:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        cookies = self.jar.setdefault(u.hostname, {})
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        try:
            conn.request(method, u.path + (f"?{u.query}" if u.query else ""), body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
        finally:
            conn.close()
        for line in r.headers.get_all("Set-Cookie") or []:
            name, _, value = line.split(";", 1)[0].partition("=")
            if not value.strip() or "max-age=0" in line.lower():
                cookies.pop(name.strip(), None)
            else:
                cookies[name.strip()] = value.strip()
        return r.status, r.headers, data

    def cookie(self, host, name):
        return self.jar.get(host, {}).get(name)


def log_in(gateway, cafile, path):
    """A person's login through the gateway: a navigation to path is sent to Keycloak, the login form is posted,
    Keycloak sends the browser to the gateway's callback, which sets the session cookie. Returns its value, and
    when the callback request was sent and its answer received (time.time()): the session was stamped between."""
    b = Browser(cafile)
    status, headers, _ = b.request("GET", gateway + path, {"Sec-Fetch-Mode": "navigate", "Accept": "text/html"})
    to_idp = headers.get("Location", "")
    if status != 302 or "/protocol/openid-connect/auth" not in to_idp:
        raise LoginFailed(f"a navigation to {path} without a session answered {status}, not 302 to Keycloak")
    status, _, page = b.request("GET", to_idp)
    form = LOGIN_FORM.search(page.decode(errors="replace"))
    if status != 200 or not form:
        raise LoginFailed(f"Keycloak's login page answered {status}" + ("" if form else " without form kc-form-login"))
    body = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "credentialId": ""})
    status, headers, _ = b.request("POST", html.unescape(form.group(1)), {
        "Content-Type": "application/x-www-form-urlencoded"}, body)
    callback = headers.get("Location", "")
    if status != 302 or not callback.startswith(gateway + "/_gatehouse/oidc/callback?"):
        raise LoginFailed(f"Keycloak answered the login form with {status}, not 302 to the gateway's callback "
                          "(wrong password, or a required action on the user?)")
    sent = time.time()
    status, headers, _ = b.request("GET", callback)
    received = time.time()
    host = urllib.parse.urlsplit(gateway).hostname
    cookie = b.cookie(host, SESSION_COOKIE)
    if status != 302 or not cookie:
        raise LoginFailed(f"the gateway's callback answered {status}" + ("" if cookie else f" without {SESSION_COOKIE}"))
    return cookie, sent, received


def client_credentials(token_endpoint, client_secret):
    """An access token for the client itself (its service account): (token, its claims)."""
    u = urllib.parse.urlsplit(token_endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                   "client_secret": client_secret})
    try:
        conn.request("POST", u.path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        data = r.read()
    finally:
        conn.close()
    if r.status != 200:
        raise LoginFailed(f"the client credentials grant answered {r.status}")
    token = json.loads(data)["access_token"]
    return token, claims(token)


def claims(jwt):
    """A JWT's payload, unverified: only for reading what Keycloak issued (sub, exp, aud); the gateway verifies."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
