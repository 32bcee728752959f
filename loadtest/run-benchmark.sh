#!/usr/bin/env bash
# Benchmark: direct-to-upstream vs nginx (TLS reverse proxy) vs Gatehouse, interleaved rounds, HTTP/1.1 and
# HTTP/2, 1 KiB and 1 MiB responses, fixed-rate latency and memory with 1,000 and 10,000 idle TLS keep-alive
# connections; then signed vs unsigned webhooks on Gatehouse (1 KiB throughput, 1 MiB latency, event loop beside
# 1 MiB uploads). Not by default: what SSO sessions and bearer tokens cost Gatehouse, against a real Keycloak; the
# signed audit log: its writer and verify-log alone, and the gateway with it against the one before it; and what rate
# limits cost, on the local store and on the Redis store (its own redis-server).
#
#   loadtest/run-benchmark.sh [bench.py options]     e.g. --rounds 3 --duration 10, --quick for a smoke run
#   loadtest/run-benchmark.sh --only webhooks        the webhook part alone (5-6 minutes)
#   loadtest/run-benchmark.sh --only auth            the SSO/bearer part alone (4-5 minutes with Keycloak's start)
#   loadtest/run-benchmark.sh --only audit           the audit-log part alone (about 6 minutes; the first run also
#                                                    builds the baseline jar of 97ad33b, about a minute, cached)
#   loadtest/run-benchmark.sh --only ratelimit       the rate-limit part alone (about 10 minutes; starts redis-server)
#
# Writes loadtest/results/latest.json and latest.svg (plus latest.png when rsvg-convert is installed).
# Takes about 16 minutes with the defaults. Every process it starts is stopped on exit or Ctrl-C.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$root/gateway/target/gatehouse.jar"

# --jar PATH uses that jar (e.g. one built elsewhere) and builds nothing; --help needs no jar either.
# The audit part also needs the gateway from before the signed log: --baseline-jar PATH, else baseline-jar.sh's.
given_jar=""
given_baseline=""
only=""
help=""
prev=""
for a in "$@"; do
  case "$a" in
    --jar=*) given_jar="${a#--jar=}" ;;
    --baseline-jar=*) given_baseline="${a#--baseline-jar=}" ;;
    --only=*) only="${a#--only=}" ;;
    -h | --help) help=1 ;;
  esac
  [ "$prev" = "--jar" ] && given_jar="$a"
  [ "$prev" = "--baseline-jar" ] && given_baseline="$a"
  [ "$prev" = "--only" ] && only="$a"
  prev="$a"
done

need_pkgs=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_pkgs+=(nginx)
command -v wrk >/dev/null 2>&1 || need_pkgs+=(wrk)
command -v h2load >/dev/null 2>&1 || need_pkgs+=(nghttp2-client)
command -v zstd >/dev/null 2>&1 || need_pkgs+=(zstd)  # auditlog.py reads sealed audit segments with it
if [[ ",${only// /}," == *,ratelimit,* ]] && [ -z "$help" ]; then
  # The ratelimit part's Redis store: it starts its own redis-server on loopback, never the system service.
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need_pkgs+=(redis-server)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "installing ${need_pkgs[*]} (Debian packages; services are not started)..."
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >/dev/null || {
      echo "error: could not install ${need_pkgs[*]}; run: apt-get update && apt-get install -y --no-install-recommends ${need_pkgs[*]}" >&2
      exit 1
    }
  else
    echo "error: missing ${need_pkgs[*]}; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need_pkgs[*]}" >&2
    exit 1
  fi
fi
export PATH="$PATH:/usr/sbin"
command -v python3 >/dev/null || { echo "error: python3 is required (apt-get install -y python3)" >&2; exit 1; }
command -v java >/dev/null || { echo "error: java 17+ is required (apt-get install -y openjdk-17-jdk-headless)" >&2; exit 1; }

if [ -n "$given_jar" ]; then
  jar="$given_jar"
elif [ ! -f "$jar" ] && [ -z "$help" ]; then
  echo "building $jar ..."
  (cd "$root" && mvn -B -q -o package -DskipTests) || (cd "$root" && mvn -B -q package -DskipTests)
fi

args=()
for a in "$@"; do
  if [ "$a" = "--quick" ]; then
    # A smoke run (about 2 minutes): checks the harness, not a measurement. 4,500 held connections are more than
    # Gatehouse's default max_connections at -Xmx128m (about 3,960), so they check the bench config still lifts it.
    args+=(--rounds 1 --duration 3 --warmup 1 --jvm-warmup 4 --rate-duration 3 --hold 200,4500 --webhook-warmup 3 --auth-warmup 2 --audit-entries 300000 --audit-warmup-entries 50000 --out "$here/results/quick")
  else
    args+=("$a")
  fi
done
if [ -z "$given_baseline" ] && [ -z "$help" ] && [[ ",${only// /}," == *,audit,* ]]; then
  baseline="$("$here/baseline-jar.sh")"
  args+=(--baseline-jar "$baseline")
fi

bench_pid=""
cleanup() {
  # bench.py stops its own servers; this covers a kill of the script itself.
  if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

python3 "$here/bench.py" --jar "$jar" "${args[@]}" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=""

# Where bench.py wrote (its --out default: results/latest, or results/<parts joined by -> with --only).
out="$here/results/latest"
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --only) out="$here/results/$(echo "${args[$((i + 1))]}" | tr -d ' ' | tr ',' '-')" ;;
    --only=*) out="$here/results/$(echo "${args[$i]#--only=}" | tr -d ' ' | tr ',' '-')" ;;
  esac
done
[ "$out" = "$here/results/throughput-fixed-rate-memory-webhooks" ] && out="$here/results/latest"
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --out) out="${args[$((i + 1))]}" ;;
    --out=*) out="${args[$i]#--out=}" ;;
  esac
done
if { [ $status -eq 0 ] || [ $status -eq 3 ]; } && command -v rsvg-convert >/dev/null 2>&1 && [ -f "$out.svg" ]; then
  rsvg-convert "$out.svg" -o "$out.png" && echo "wrote $out.png"
fi
exit $status
