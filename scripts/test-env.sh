#!/usr/bin/env bash
# Sets up what the tests and the demo need on this machine: a Docker engine, a registry with basic auth on
# loopback, and the base images (made here, never pulled). Idempotent, and quick when everything is there.
#
# Environment (all optional):
#   SI_REGISTRY_PORT  registry port on 127.0.0.1 (default 5555)
#   SI_STATE_DIR      where the registry data, htpasswd and the Debian rootfs live (default /var/lib/secure-image-test)
#   SI_SKIP_DEBIAN=1  do not build the debootstrap Debian 12 image
#   SI_MODERN_ENGINE=0  do not start the second, modern engine (scripts/modern-engine.sh); `npm test` then
#                     needs SI_ENGINES=old
set -euo pipefail

PORT="${SI_REGISTRY_PORT:-5555}"
STATE="${SI_STATE_DIR:-/var/lib/secure-image-test}"
REG_USER="si-ci"
REG_PASS="si-ci-registry-pass-4d1f"

log() { printf '[test-env] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx wget || need+=(busybox-static)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v go >/dev/null 2>&1 || need+=(golang-go) # compiles a real Go binary for the inventory test
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck) # the SC checks of RUN instructions
command -v rpmbuild >/dev/null 2>&1 || need+=(rpm) # builds rpms and writes real rpm databases for the inventory tests
command -v db5.3_load >/dev/null 2>&1 || need+=(db5.3-util) # writes the BerkeleyDB rpm database
command -v gem >/dev/null 2>&1 || need+=(ruby) # builds and installs a gem for the RubyGems inventory test
command -v composer >/dev/null 2>&1 || need+=(composer php-cli) # writes vendor/composer/installed.json
command -v objcopy >/dev/null 2>&1 || need+=(binutils) # adds a cargo-auditable section to a real ELF
command -v zip >/dev/null 2>&1 || need+=(zip) # packs Java archives (fat jars, wars, ears)
[ -f /usr/share/java/log4j-core.jar ] || need+=(liblog4j2-java) # real Maven-built jars to nest in them
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 1. The engine.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  as_root mkdir -p /var/log
  setsid dockerd >/var/log/secure-image-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/secure-image-dockerd.log"; tail -20 /var/log/secure-image-dockerd.log >&2; exit 1; }
fi

# 2. The registry, with basic auth.
as_root mkdir -p "$STATE/registry"
if [ ! -f "$STATE/htpasswd" ]; then
  htpasswd -Bbc "$STATE/htpasswd" "$REG_USER" "$REG_PASS" >/dev/null 2>&1
fi
cat >"$STATE/registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$PORT
auth:
  htpasswd:
    realm: secure-image-test
    path: $STATE/htpasswd
YML
if ! curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" 2>/dev/null | grep -q 401; then
  log "starting registry on 127.0.0.1:$PORT"
  setsid docker-registry serve "$STATE/registry.yml" >/var/log/secure-image-registry.log 2>&1 < /dev/null &
  for _ in $(seq 1 30); do
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" 2>/dev/null | grep -q 401 && break
    sleep 0.5
  done
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" | grep -q 401 || { log "registry did not start"; cat /var/log/secure-image-registry.log >&2; exit 1; }
fi

# 3. Base images, made here. busybox:stable from the static busybox; debian:bookworm from debootstrap.
if ! docker image inspect busybox:stable >/dev/null 2>&1; then
  log "making busybox:stable"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/home" "$root/var"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for app in $(/bin/busybox --list); do [ "$app" = busybox ] || ln -sf busybox "$root/bin/$app"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:10001:10001:app:/home:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\napp:x:10001:\n' >"$root/etc/group"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - busybox:stable >/dev/null
  rm -rf "$root"
fi
docker image inspect busybox:latest >/dev/null 2>&1 || docker tag busybox:stable busybox:latest

if [ "${SI_SKIP_DEBIAN:-0}" != 1 ] && ! docker image inspect debian:bookworm >/dev/null 2>&1; then
  log "making debian:bookworm with debootstrap (about a minute)"
  rootfs="$STATE/debian-bookworm"
  if [ ! -f "$rootfs/.complete" ]; then
    as_root rm -rf "$rootfs"
    as_root debootstrap --variant=minbase bookworm "$rootfs" >"$STATE/debootstrap.log" 2>&1 || { tail -20 "$STATE/debootstrap.log" >&2; exit 1; }
    as_root rm -rf "$rootfs/var/cache/apt/archives"/*.deb
    touch "$rootfs/.complete"
  fi
  tar -C "$rootfs" --exclude=./.complete -c . | docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - debian:bookworm >/dev/null
fi
if docker image inspect debian:bookworm >/dev/null 2>&1; then
  docker image inspect debian:12 >/dev/null 2>&1 || docker tag debian:bookworm debian:12
fi

# 4. The modern engine beside the first one: Docker 28+ with the containerd image store, as hosted runners use.
if [ "${SI_MODERN_ENGINE:-1}" != 0 ]; then
  SI_STATE_DIR="$STATE" bash "$(dirname "$0")/modern-engine.sh"
fi

# 5. What the tests read.
cat >"$STATE/env.json" <<JSON
{ "registry": "127.0.0.1:$PORT", "username": "$REG_USER", "password": "$REG_PASS" }
JSON
log "ready: engine, registry 127.0.0.1:$PORT, busybox:stable$(docker image inspect debian:bookworm >/dev/null 2>&1 && echo ', debian:bookworm')"
