#!/usr/bin/env bash
# Starts a second, modern Docker engine beside the system's dockerd: Docker 28+ from Debian's sid suite (or 26.1
# from trixie when sid's cannot be had), with the containerd image store, as GitHub's hosted runners use it.
# Idempotent. The system's apt state and its dockerd are left alone:
#   - the packages come through a private apt configuration (own sources list, lists, archives, preferences) and
#     are unpacked with `dpkg -x` into a private prefix;
#   - the engine has its own socket, data root, exec root, pid file and bridge (iptables off), and never touches
#     docker0, which the first engine's RUN steps need.
# sid's runc and tini need glibc 2.38; bookworm's runc (a docker.io dependency) and sid's static tini serve.
#
# Environment: SI_STATE_DIR (as test-env.sh), SI_MODERN_SUITES (default "sid trixie").
# Prints nothing on stdout; writes "$STATE/modern/env" with MODERN_HOST=… and MODERN_VERSION=….
set -euo pipefail

STATE="${SI_STATE_DIR:-/var/lib/secure-image-test}"
DIR="$STATE/modern"
RUN=/run/si-modern # short: containerd's socket paths must stay under 108 bytes
SOCK="$RUN/docker.sock"
HOST="unix://$SOCK"
BRIDGE=si-modern0
BRIDGE_CIDR=172.30.213.1/24
log() { printf '[test-env] %s\n' "$*" >&2; }

mdocker() { PATH="$DIR/prefix/usr/bin:$PATH" "$DIR/prefix/usr/bin/docker" -H "$HOST" "$@"; }

fetch() { # $1 = suite
  local suite=$1 apt="$DIR/apt-$1"
  rm -rf "$apt" && mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/parts" "$apt/prefs" "$apt/cache"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" >"$apt/sources.list"
  local o=(-o "Dir::State::Lists=$apt/lists" -o "Dir::Etc::SourceList=$apt/sources.list"
    -o "Dir::Etc::SourceParts=$apt/parts" -o "Dir::Etc::PreferencesParts=$apt/prefs"
    -o "Dir::Cache::Archives=$apt/archives" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
    -o APT::Sandbox::User=root)
  apt-get "${o[@]}" -qq update >/dev/null 2>&1 || return 1
  (cd "$apt/archives" && apt-get "${o[@]}" -qq download docker.io docker-cli containerd tini-static >/dev/null 2>&1) || return 1
  rm -rf "$DIR/prefix.new" && mkdir -p "$DIR/prefix.new"
  for deb in "$apt"/archives/*.deb; do dpkg -x "$deb" "$DIR/prefix.new"; done
  rm -rf "$DIR/prefix" && mv "$DIR/prefix.new" "$DIR/prefix" && rm -rf "$apt"
  ln -sf ../bin/tini-static "$DIR/prefix/usr/bin/docker-init"
  ln -sf ../sbin/dockerd "$DIR/prefix/usr/bin/dockerd"
  ln -sf ../sbin/docker-proxy "$DIR/prefix/usr/bin/docker-proxy"
  echo "$suite" >"$DIR/prefix/.suite"
}

mkdir -p "$DIR" "$RUN"
command -v runc >/dev/null 2>&1 || { log "runc is missing (install docker.io first)"; exit 1; }

if ! mdocker info >/dev/null 2>&1; then
  if [ ! -x "$DIR/prefix/usr/sbin/dockerd" ]; then
    ok=
    for suite in ${SI_MODERN_SUITES:-sid trixie}; do
      log "fetching Docker from Debian $suite into $DIR/prefix"
      if fetch "$suite"; then ok=1; break; fi
      log "Debian $suite's Docker could not be had"
    done
    [ -n "$ok" ] || { log "no modern Docker engine could be fetched"; exit 1; }
  fi
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  cat >"$DIR/daemon.json" <<JSON
{ "features": { "containerd-snapshotter": true }, "bridge": "$BRIDGE", "iptables": false, "ip6tables": false }
JSON
  rm -f "$SOCK" "$RUN/dockerd.pid"
  log "starting the modern engine ($(cat "$DIR/prefix/.suite"), containerd image store) on $HOST"
  PATH="$DIR/prefix/usr/bin:$PATH" setsid "$DIR/prefix/usr/sbin/dockerd" --config-file "$DIR/daemon.json" \
    -H "$HOST" --data-root "$DIR/data" --exec-root "$RUN/exec" --pidfile "$RUN/dockerd.pid" \
    >/var/log/secure-image-dockerd-modern.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do mdocker info >/dev/null 2>&1 && break; sleep 1; done
  mdocker info >/dev/null 2>&1 || {
    log "the modern engine did not start; see /var/log/secure-image-dockerd-modern.log"
    tail -20 /var/log/secure-image-dockerd-modern.log >&2
    exit 1
  }
fi

# The base images, copied over from the first engine (nothing can be pulled).
for img in busybox:stable busybox:latest debian:bookworm debian:12; do
  if docker image inspect "$img" >/dev/null 2>&1 && ! mdocker image inspect "$img" >/dev/null 2>&1; then
    docker save "$img" | mdocker load >/dev/null
  fi
done

version=$(mdocker version --format '{{.Server.Version}}')
driver=$(mdocker info --format '{{.Driver}} {{range .DriverStatus}}{{index . 0}}={{index . 1}} {{end}}')
printf 'MODERN_HOST=%s\nMODERN_VERSION=%s\nMODERN_DRIVER=%q\n' "$HOST" "$version" "$driver" >"$DIR/env"
log "modern engine ready: Docker $version, storage $driver"
