#!/usr/bin/env bash
# Sends a file as a signed webhook delivery with curl: signs it with `gatehouse.jar sign-webhook` and passes each
# header line it prints to curl as one -H argument (an argv array, so values with spaces stay whole), then sends
# the file's bytes unchanged (--data-binary), as the signature covers them exactly.
#
#   scripts/signed-curl.sh [--scheme S] [--secret-file FILE] [--cacert FILE] [--content-type T] URL BODYFILE [CURL-OPTION...]
#
# Defaults fit ./gatehouse-dev's example workflow: --scheme standard, --secret-file
# run/secrets/claims-intake.secret, --cacert run/certs/ca.crt (when it exists), --content-type application/json.
# Options after BODYFILE go to curl as they are (e.g. -i, -s, -w '%{http_code}'). Each run is a new
# delivery (sign-webhook picks a new id and the current time). The secret is read from the file by sign-webhook
# itself, never printed and never on a command line.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/gateway/target/gatehouse.jar"

usage() {
  echo "usage: scripts/signed-curl.sh [--scheme S] [--secret-file FILE] [--cacert FILE] [--content-type T] URL BODYFILE [CURL-OPTION...]" >&2
  exit 2
}
fail() { echo "signed-curl: $*" >&2; exit 2; }

scheme="standard"
secret_file="$ROOT/run/secrets/claims-intake.secret"
cacert="$ROOT/run/certs/ca.crt"
content_type="application/json"
while [ $# -gt 0 ]; do
  case "$1" in
    --scheme) [ $# -ge 2 ] || usage; scheme="$2"; shift 2 ;;
    --secret-file) [ $# -ge 2 ] || usage; secret_file="$2"; shift 2 ;;
    --cacert) [ $# -ge 2 ] || usage; cacert="$2"; shift 2 ;;
    --content-type) [ $# -ge 2 ] || usage; content_type="$2"; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || usage
url="$1"
body="$2"
shift 2

[ -f "$JAR" ] || fail "$JAR is missing: build it with 'mvn -B -q package -DskipTests' (./gatehouse-dev does)"
[ -r "$secret_file" ] || fail "cannot read the secret file $secret_file (./gatehouse-dev writes the example's)"
[ -r "$body" ] || fail "cannot read the body file $body"

# A ${file:} reference, so the secret itself is never on a command line (where `ps` shows it to every local user).
headers="$(java -jar "$JAR" sign-webhook --scheme "$scheme" --secret "\${file:$(realpath "$secret_file")}" --file "$body")" \
  || fail "sign-webhook failed (its message is above)"

args=(--data-binary "@$body" -H "Content-Type: $content_type")
if [ -f "$cacert" ]; then args+=(--cacert "$cacert"); fi
while IFS= read -r line; do
  if [ -n "$line" ]; then args+=(-H "$line"); fi
done <<<"$headers"

exec curl "${args[@]}" "$@" "$url"
