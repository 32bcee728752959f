"""Starting, probing and stopping the three servers of the benchmark: the static upstream (nginx), nginx as a TLS
proxy, and Gatehouse. Every process is started in its own session and remembered, so one call stops them all."""

import os
import resource
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(HERE, "conf")

BODIES = {"1k": 1024, "1m": 1024 * 1024}
# The path prefix of the guarded route on both proxies (every guard on; see conf/). Neither proxy strips it (Gatehouse
# routes match prefixes and forward the path as it is), so the upstream serves the same 1 KiB body under it too.
GUARDED_PREFIX = "/guarded/"


def free_port():
    """An ephemeral loopback port the OS just handed out (closed again, so a tiny race remains)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(template, out_path, values):
    with open(os.path.join(CONF, template)) as f:
        text = f.read()
    for key, value in values.items():
        text = text.replace("@@" + key + "@@", str(value))
    if "@@" in text:
        raise RuntimeError(f"{template}: unfilled placeholder")
    with open(out_path, "w") as f:
        f.write(text)
    return out_path


class Processes:
    """The processes this run started; stop_all() ends exactly those, and nothing else."""

    def __init__(self):
        self.procs = []  # (name, Popen)

    def start(self, name, argv, log_path, env=None, cwd=None):
        log = open(log_path, "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env, cwd=cwd)
        log.close()
        self.procs.append((name, proc))
        return proc

    def stop(self, proc, grace=8.0):
        if proc.poll() is not None:
            return
        try:
            # Its own session: the group holds nginx's workers too, and nothing that is not ours.
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)

    def stop_all(self):
        for _, proc in reversed(self.procs):
            try:
                self.stop(proc)
            except Exception as e:  # keep stopping the others
                print(f"warning: could not stop pid {proc.pid}: {e}")
        self.procs.clear()


def wait_until(check, what, timeout=60.0, proc=None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: process exited with {proc.returncode} before it was ready")
        try:
            if check():
                return
        except Exception as e:
            last = e
        time.sleep(0.2)
    raise RuntimeError(f"{what}: not ready after {timeout:.0f}s ({last})")


def fetch(url, cafile=None, headers=None):
    """Status, body and headers; a 4xx or 5xx answer is returned too, not raised."""
    ctx = ssl.create_default_context(cafile=cafile) if url.startswith("https") else None
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5, context=ctx) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read(), dict(e.headers)


def start_upstream(procs, work, prefixes=()):
    """The static upstream; it serves the same bodies at /, under GUARDED_PREFIX and under each of prefixes (the
    proxies forward paths as they are, so a route's prefix must exist here too)."""
    docroot = os.path.join(work, "docroot")
    dirs = [""] + [p.strip("/") for p in (GUARDED_PREFIX,) + tuple(prefixes)]
    for d in dirs:
        os.makedirs(os.path.join(docroot, d), exist_ok=True)
    for name, size in BODIES.items():
        body = (b"gatehouse-benchmark-body-" * (size // 25 + 1))[:size]
        for d in dirs:
            with open(os.path.join(docroot, d, name), "wb") as f:
                f.write(body)
    ports = {"HTTP_PORT": free_port(), "H2C_PORT": free_port()}
    prefix = os.path.join(work, "upstream")
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    conf = render("upstream-nginx.conf", os.path.join(prefix, "nginx.conf"),
                  dict(ports, PREFIX=prefix, DOCROOT=docroot))
    proc = procs.start("upstream", ["nginx", "-p", prefix, "-e", os.path.join(prefix, "upstream-error.log"),
                                    "-c", conf, "-g", "daemon off;"], os.path.join(prefix, "stdout.log"))
    url = f"http://127.0.0.1:{ports['HTTP_PORT']}/1k"
    wait_until(lambda: fetch(url)[0] == 200, "upstream nginx", 20, proc)
    return {"proc": proc, "http_port": ports["HTTP_PORT"], "h2c_port": ports["H2C_PORT"]}


def start_nginx_proxy(procs, work, certs, upstream_port, buffering):
    port = free_port()
    prefix = os.path.join(work, "nginx-proxy")
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    conf = render("proxy-nginx.conf", os.path.join(prefix, "nginx.conf"), {
        "PORT": port, "PREFIX": prefix, "UPSTREAM_PORT": upstream_port, "BUFFERING": buffering,
        "CERT": os.path.join(certs, "server.crt"), "KEY": os.path.join(certs, "server.key")})
    proc = procs.start("nginx", ["nginx", "-p", prefix, "-e", os.path.join(prefix, "proxy-error.log"),
                                 "-c", conf, "-g", "daemon off;"], os.path.join(prefix, "stdout.log"))
    url = f"https://localhost:{port}/1k"
    wait_until(lambda: fetch(url, os.path.join(certs, "ca.crt"))[0] == 200, "nginx proxy", 20, proc)
    return {"proc": proc, "port": port, "conf": conf, "access_log": os.path.join(prefix, "access.jsonl")}


def start_gatehouse(procs, work, certs, upstream_port, jar, jvm_flags, webhook_path, webhook_secret, home=None,
                    name="gatehouse", keygen_jar=None):
    """webhook_secret reaches the config through ${env:GATEHOUSE_BENCH_WEBHOOK_SECRET}, never written to disk."""
    return launch_gatehouse(procs, home or os.path.join(work, "gatehouse"), name, "gatehouse-bench.yaml", certs,
                            {"UPSTREAM_PORT": upstream_port, "WEBHOOK_PATH": webhook_path}, jar, jvm_flags,
                            {"GATEHOUSE_BENCH_WEBHOOK_SECRET": webhook_secret}, "/1k", keygen_jar=keygen_jar)


def keygen(jar, prefix):
    """A fresh Ed25519 audit signing key from the gateway's own keygen: (prefix.key, prefix.pub)."""
    subprocess.run(["java", "-jar", jar, "keygen", "--out", prefix], check=True, stdout=subprocess.DEVNULL)
    return prefix + ".key", prefix + ".pub"


def launch_gatehouse(procs, home, name, template, certs, values, jar, jvm_flags, secrets, ready_path, port=None,
                     keygen_jar=None):
    """Gatehouse with the config template filled in with values (plus its ports, certificate, audit dir and a fresh
    audit signing key, in home: the log signed as production runs it), started with secrets (a dict) in its
    environment, where the config's ${env:...} reads them: never on disk, nor on a command line. Ready once
    ready_path answers 200. port: the public port, when it had to be known before (e.g. for an IdP's redirect URI).
    keygen_jar: the jar whose keygen makes the key (default jar; a jar from before the signed log ignores the key)."""
    port, admin = port or free_port(), free_port()
    audit = os.path.join(home, "audit")
    os.makedirs(home, exist_ok=True)
    signing_key, public_key = keygen(keygen_jar or jar, os.path.join(home, "audit"))
    conf = render(template, os.path.join(home, "gatehouse.yaml"), dict(values, **{
        "PORT": port, "ADMIN_PORT": admin, "AUDIT_DIR": audit, "SIGNING_KEY": signing_key,
        "CERT": os.path.join(certs, "server.crt"), "KEY": os.path.join(certs, "server.key")}))
    argv = ["java"] + jvm_flags + ["-jar", jar, "run", "--config", conf]
    # MALLOC_ARENA_MAX as the README's production command line sets it.
    env = dict(os.environ, MALLOC_ARENA_MAX="2", **secrets)
    log = os.path.join(home, "gatehouse.log")
    proc = procs.start(name, argv, log, env=env)
    url = f"https://localhost:{port}{ready_path}"
    wait_until(lambda: fetch(url, os.path.join(certs, "ca.crt"))[0] == 200, name, 60, proc)
    # audit_dir: the signed log's segments (auditlog.py reads them); a jar from before it writes access.jsonl there.
    return {"proc": proc, "port": port, "admin_port": admin, "conf": conf, "argv": argv, "audit_dir": audit,
            "public_key": public_key, "log": log}


def process_tree(pid):
    """pid and every descendant (nginx: master and workers)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError):
            continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_ticks(pid):
    """utime+stime of pid's process tree, in clock ticks."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return total


def memory_kib(pid):
    """VmRSS and VmHWM summed over pid's tree, in KiB."""
    rss = hwm = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
        except OSError:
            continue
    return rss, hwm


def negotiated(port, alpn):
    """Protocol, cipher suite and ALPN a TLS client gets from the proxy on port (what wrk/h2load will get)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(alpn)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            return {"version": s.version(), "cipher": s.cipher()[0], "alpn": s.selected_alpn_protocol()}


def raise_open_files(needed):
    """Raises this process's soft open-file limit to at least needed (children inherit it); RuntimeError when the
    hard limit is lower, which only root can raise."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise RuntimeError(f"{needed} open files are needed but the hard limit is {hard} (ulimit -Hn); raise it "
                           f"as root (ulimit -Hn {needed}, or nofile in /etc/security/limits.conf)")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed


def open_files_limit(pid):
    """The lowest soft open-file limit in pid's process tree, from /proc/PID/limits (nginx: its workers set their
    own with worker_rlimit_nofile; the JVM raises its soft limit to the hard one at start)."""
    lowest = None
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/limits") as f:
                for line in f:
                    if line.startswith("Max open files"):
                        soft = line.split()[3]
                        value = sys.maxsize if soft == "unlimited" else int(soft)
                        lowest = value if lowest is None else min(lowest, value)
        except (OSError, ValueError, IndexError):
            continue
    return lowest
