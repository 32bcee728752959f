#!/usr/bin/env bash
# Writes a development CA and a localhost server certificate for Gatehouse.
#
#   certs-dev/make-dev-certs.sh [OUT_DIR] [extra dev-certs options, e.g. --client]
#
# OUT_DIR defaults to run/certs (git-ignored). Builds gateway/target/gatehouse.jar first if it is missing.
# An existing CA in OUT_DIR is reused, so a CA you already trust stays trusted.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/gateway/target/gatehouse.jar"
out="${1:-$repo/run/certs}"
shift || true

if [[ ! -f "$jar" ]]; then
  echo "building $jar (tests skipped) ..." >&2
  (cd "$repo" && mvn -B -q -DskipTests package)
fi

exec java -jar "$jar" dev-certs --out "$out" "$@"
