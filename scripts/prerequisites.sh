#!/usr/bin/env bash
# Everything the test suite needs on a fresh Debian 12 machine, installed only when missing: the
# first step of ./test.sh (the README's test command) and so of .ci/run. Needs root to install; a
# machine that already has everything needs nothing.
#
#   - Debian packages: a JDK 17 (Maven's wrapper brings Maven itself), mosquitto and its clients (the
#     tests' real broker), chromium + chromium-driver (web UI browser tests), zstd, curl, docker.io
#     and mmdebstrap (the compose end-to-end test)
#   - Docker Compose v2 (scripts/validate-compose.sh fetches it from Debian trixie when missing)
#   - a running Docker engine: dockerd is started when it does not answer, and the script fails
#     loudly when it cannot be started
#   - the base image debian:bookworm-slim (scripts/base-image.sh builds it with mmdebstrap where no
#     image registry is reachable; kept between runs, so only a new machine pays for it)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { echo "prerequisites: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

missing=()
need() { # need <command or path> <package>...
  local what=$1; shift
  if [[ $what == /* ]]; then [[ -x $what ]] && return 0; else command -v "$what" >/dev/null && return 0; fi
  missing+=("$@")
}
need javac openjdk-17-jdk-headless
need /usr/sbin/mosquitto mosquitto
need mosquitto_passwd mosquitto-clients mosquitto
need mosquitto_sub mosquitto-clients
need chromium chromium
need chromedriver chromium-driver
need zstd zstd
need curl curl
need /usr/sbin/dockerd docker.io
need docker docker.io
need mmdebstrap mmdebstrap

# ---- extra prerequisites ---------------------------------------------------------------------------
# Other parts of the suite add their own lines here, in the same form: need <command> <package>...
# (e.g. the camera agent's arm64 test: need qemu-aarch64 qemu-user ...)
need oathtool oathtool   # web UI AccountsTest: TOTP codes from an independent implementation
# Camera agent: ffmpeg is the stand-in camera process of ExecSourceTest; qemu-user-static runs the Pi
# jar on aarch64 in Arm64EmulationIT (its root and jar: camera-agent/src/test/arm64/prepare.sh, below).
need ffmpeg ffmpeg
need qemu-aarch64-static qemu-user-static
# ---- end of extra prerequisites --------------------------------------------------------------------

if [[ ${#missing[@]} -gt 0 ]]; then
  readarray -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  [[ $(id -u) -eq 0 ]] || die "these Debian packages are missing and this is not root: ${missing[*]}"
  log "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in javac /usr/sbin/mosquitto mosquitto_passwd mosquitto_sub chromium chromedriver zstd curl \
            docker mmdebstrap; do
  if [[ $tool == /* ]]; then [[ -x $tool ]]; else command -v "$tool" >/dev/null; fi \
    || die "required tool missing after installing: $tool"
done

# Compose v2 (installed by the validator when missing), and the compose file is valid.
bash scripts/validate-compose.sh

# A running Docker engine.
if ! docker info >/dev/null 2>&1; then
  [[ $(id -u) -eq 0 ]] || die "the Docker engine does not answer and this is not root, so it cannot be started"
  dlog=${MECAM_DOCKERD_LOG:-/var/log/mecam-dockerd.log}
  log "starting dockerd (log: $dlog)"
  setsid nohup dockerd >"$dlog" 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -20 "$dlog" >&2; die "dockerd did not come up within 60 s (see $dlog)"; }
  log "dockerd is up"
fi

# The one base image every mecam image starts FROM.
bash scripts/base-image.sh

# ---- camera agent arm64 test (Arm64EmulationIT) ------------------------------------------------------
# An arm64 Debian root with Java 17, made once and kept at /var/cache/mecam/arm64-root, and this
# checkout's Pi jar (-Ppi) at camera-agent/target/arm64/.
bash camera-agent/src/test/arm64/prepare.sh
