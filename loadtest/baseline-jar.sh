#!/usr/bin/env bash
# Prints the path of Gatehouse's jar built from COMMIT (default 97ad33b, the last commit whose gateway wrote the
# plain access log, <audit.dir>/access.jsonl), building it the first time into ~/.cache/gatehouse/baseline-COMMIT/
# and reusing it after that. The audit part of the benchmark (run-benchmark.sh --only audit) runs it beside the
# current jar to measure what the signed audit log costs a request.
#
#   loadtest/baseline-jar.sh [COMMIT]
#
# The sources come from `git archive` (nothing in the repository or its worktrees changes); the build is Maven's,
# offline first (the cache is warm on a machine that has built the current jar), then online. Build output goes to
# stderr, the jar's path alone to stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
commit="${1:-97ad33b}"
cache="$HOME/.cache/gatehouse"
dir="$cache/baseline-$commit"
jar="$dir/gateway/target/gatehouse.jar"

if [ -f "$jar" ]; then
  echo "$jar"
  exit 0
fi
full="$(git -C "$root" rev-parse --verify --quiet "$commit^{commit}")" || {
  echo "error: $commit is not a commit of $root" >&2
  exit 1
}
echo "building the baseline jar of $commit in $dir (once; about a minute) ..." >&2
# Built under a temporary name and renamed when done, so an interrupted build is never taken for a cached jar.
tmp="$dir.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
git -C "$root" archive "$full" | tar -x -C "$tmp"
(cd "$tmp" && mvn -B -q -o -DskipTests package >&2) || (cd "$tmp" && mvn -B -q -DskipTests package >&2) || {
  echo "error: could not build $commit (its sources are in $tmp)" >&2
  exit 1
}
rm -rf "$dir"
mv "$tmp" "$dir"
echo "$jar"
