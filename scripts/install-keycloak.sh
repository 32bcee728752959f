#!/usr/bin/env bash
# Installs the pinned Keycloak into ~/.cache/gatehouse (outside the repository), reusing it on later runs.
# Prints the install folder (the one holding bin/kc.sh) on stdout as its last line; progress goes to stderr.
#
# Why this shape (see ../shared/DESIGN.md §4): the machine reaches Maven Central but not Keycloak's GitHub
# releases, and Central serves the same distribution as org.keycloak:keycloak-quarkus-dist:<version>:zip, cached
# in ~/.m2 like any other artifact. The zip is unpacked into a temporary folder and renamed into place, so an
# interrupted run never leaves a half-unpacked install that a later run would take for a good one.
set -euo pipefail

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.4.7}"
CACHE="${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}"
DIR="$CACHE/keycloak-$KEYCLOAK_VERSION"
MARK="$DIR/.installed"
ARTIFACT="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"
M2_REPO="${MAVEN_REPOSITORY:-$HOME/.m2/repository}"
ZIP="$M2_REPO/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"

log() { echo "install-keycloak: $*" >&2; }

if [ -f "$MARK" ] && [ -x "$DIR/bin/kc.sh" ]; then
  echo "$DIR"
  exit 0
fi

command -v java >/dev/null || { log "java is required (a JDK 17 or newer: apt-get install -y openjdk-17-jdk-headless)"; exit 1; }
command -v unzip >/dev/null || { log "unzip is required (apt-get install -y unzip)"; exit 1; }

if [ ! -f "$ZIP" ]; then
  command -v mvn >/dev/null || { log "mvn is required to fetch $ARTIFACT (apt-get install -y maven)"; exit 1; }
  log "fetching $ARTIFACT from Maven Central (about 160 MB, first time only)"
  if ! mvn -B -ntp -q dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false >&2; then
    log "could not fetch $ARTIFACT: check that Maven Central is reachable, then run again"
    exit 1
  fi
  [ -f "$ZIP" ] || { log "mvn reported success but $ZIP is missing (a custom local repository? set MAVEN_REPOSITORY)"; exit 1; }
fi

mkdir -p "$CACHE"
TMP="$(mktemp -d "$CACHE/.keycloak-$KEYCLOAK_VERSION.XXXXXX")"
KC_PID=""
# A throwaway Keycloak (below) must not outlive the script, however it ends.
trap 'if [ -n "$KC_PID" ]; then kill -TERM "$KC_PID" 2>/dev/null || true; wait "$KC_PID" 2>/dev/null || true; fi; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
log "unpacking Keycloak $KEYCLOAK_VERSION into $DIR"
unzip -q "$ZIP" -d "$TMP"
UNPACKED="$TMP/keycloak-$KEYCLOAK_VERSION"
[ -x "$UNPACKED/bin/kc.sh" ] || { log "the zip has no keycloak-$KEYCLOAK_VERSION/bin/kc.sh: unexpected layout"; exit 1; }

# Keycloak's first start in dev mode re-builds the server for that mode (a Quarkus augmentation: ~45 s here, of a
# ~2 minute first start) and keeps the result in lib/quarkus; later starts skip it. `kc.sh build` refuses the dev
# profile, so the step is done here by a throwaway start-dev, stopped once the rebuilt server begins to run. Done
# before the rename, the step is paid once, in the install, and never by two test JVMs writing lib/quarkus at once.
log "building Keycloak for dev mode (one time, about a minute)"
BUILD_LOG="$TMP/build.log"
"$UNPACKED/bin/kc.sh" start-dev --db=dev-mem --http-host=127.0.0.1 --http-port=0 --http-management-port=0 \
  >"$BUILD_LOG" 2>&1 &
KC_PID=$!
deadline=$((SECONDS + 900))
until grep -q "Running the server in development mode" "$BUILD_LOG"; do
  if ! kill -0 "$KC_PID" 2>/dev/null || [ "$SECONDS" -gt "$deadline" ]; then
    kill -TERM "$KC_PID" 2>/dev/null || true
    log "the dev-mode build failed or took over 15 minutes; its output ends:"
    tail -n 30 "$BUILD_LOG" >&2
    exit 1
  fi
  sleep 1
done
# The rebuilt server runs under kc.sh's PID (kc.sh execs it after the build), so SIGTERM reaches Keycloak itself.
kill -TERM "$KC_PID" 2>/dev/null || true
wait "$KC_PID" 2>/dev/null || true
KC_PID=""
if ! grep -q "augmentation completed" "$BUILD_LOG"; then
  log "start-dev ran without building for dev mode (unexpected); its output ends:"
  tail -n 30 "$BUILD_LOG" >&2
  exit 1
fi
rm -rf "$UNPACKED/data"

# Another run (a second test JVM, gatehouse-dev) may have finished first: keep its install, which may be in use.
if [ -f "$MARK" ]; then
  log "Keycloak was installed meanwhile by another run: using $DIR"
  echo "$DIR"
  exit 0
fi
# A leftover install without its mark is an interrupted or damaged one: replace it.
rm -rf "$DIR"
mv "$UNPACKED" "$DIR"
touch "$MARK"
log "Keycloak ready in $DIR"
echo "$DIR"
