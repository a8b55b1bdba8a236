#!/usr/bin/env bash
# Validates docker-compose.yml with Docker Compose v2: `docker compose config -q`, for the default
# services, for the "rtsp" profile and with the docker-compose.existing-broker.yml override. No Docker engine is needed, only the compose CLI.
#
# Where no compose v2 exists yet it installs one (needs root and apt): Debian 12 (bookworm) ships
# only the old Python docker-compose 1.29, so the script fetches the Go docker-compose v2 package
# from Debian 13 (trixie) with a private apt configuration (the machine's own apt sources and
# package state are not touched), unpacks its one static-ish binary (needs only libc6 >= 2.34)
# and links it as a Docker CLI plugin. If even that fails it falls back to bookworm's v1 and says
# so. It fails loudly when no validator can be had or the file is invalid.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { echo "validate-compose: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

is_v2() { # prints the version when "$@" is a compose v2 CLI
  local v
  v=$("$@" version --short 2>/dev/null) || return 1
  v=${v#v}
  [[ $v == 2.* || $v == [3-9].* ]] || return 1
  echo "$v"
}

plugin_dir() {
  if [[ $(id -u) -eq 0 ]]; then echo /usr/local/lib/docker/cli-plugins; else echo "$HOME/.docker/cli-plugins"; fi
}

install_v2_from_debian() {
  [[ $(id -u) -eq 0 ]] || { log "not root: cannot fetch Debian packages"; return 1; }
  command -v apt-get >/dev/null || { log "no apt-get on this machine"; return 1; }
  local work; work=$(mktemp -d)
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$work/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)
  log "fetching the docker-compose v2 package from Debian trixie (private apt config in $work)"
  apt-get "${opts[@]}" -qq update >&2 || { log "apt-get update for trixie failed"; return 1; }
  (cd "$work" && apt-get "${opts[@]}" -qq download docker-compose >&2) || { log "apt-get download docker-compose failed"; return 1; }
  local deb; deb=$(ls "$work"/docker-compose_*.deb 2>/dev/null | head -1)
  [[ -n $deb ]] || { log "no docker-compose .deb downloaded"; return 1; }
  dpkg-deb -x "$deb" "$work/root"
  local bin=$work/root/usr/libexec/docker/cli-plugins/docker-compose
  [[ -x $bin ]] || { log "package has no cli-plugins/docker-compose"; return 1; }
  local dir; dir=$(plugin_dir)
  mkdir -p "$dir"
  install -m 0755 "$bin" "$dir/docker-compose"
  rm -rf "$work"
  log "installed $(basename "$deb") as $dir/docker-compose"
}

compose=()
if v=$(is_v2 docker compose); then
  compose=(docker compose)
elif v=$(is_v2 docker-compose); then
  compose=(docker-compose)
elif [[ -x $(plugin_dir)/docker-compose ]] && v=$(is_v2 "$(plugin_dir)/docker-compose"); then
  compose=("$(plugin_dir)/docker-compose")
fi

if [[ ${#compose[@]} -eq 0 ]]; then
  if install_v2_from_debian; then
    # The plugin binary also runs on its own, so the docker CLI itself is optional.
    if v=$(is_v2 docker compose); then
      compose=(docker compose)
    elif v=$(is_v2 "$(plugin_dir)/docker-compose"); then
      compose=("$(plugin_dir)/docker-compose")
    fi
  fi
fi

if [[ ${#compose[@]} -eq 0 ]]; then
  log "no Docker Compose v2 available; trying Debian's docker-compose v1 (Python) as a weaker check"
  if ! command -v docker-compose >/dev/null && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq docker-compose >&2 || true
  fi
  command -v docker-compose >/dev/null || die "no compose validator: install docker-compose-plugin (v2) or run as root with apt"
  log "WARNING: validating with $(docker-compose version --short 2>/dev/null || echo '?') (compose v1), not v2"
  docker-compose -f docker-compose.yml config -q || die "docker-compose.yml is invalid (docker-compose v1)"
  docker-compose -f docker-compose.yml --profile rtsp config -q || die "docker-compose.yml is invalid with --profile rtsp (v1)"
  echo "docker-compose config -q: OK (compose v1 only)"
  exit 0
fi

log "using '${compose[*]}' (Docker Compose $v)"
"${compose[@]}" -f docker-compose.yml config -q || die "docker-compose.yml is invalid"
"${compose[@]}" -f docker-compose.yml --profile rtsp config -q || die "docker-compose.yml is invalid with --profile rtsp"
"${compose[@]}" -f docker-compose.yml -f docker-compose.existing-broker.yml config -q \
  || die "docker-compose.yml with docker-compose.existing-broker.yml is invalid"
echo "docker compose config -q: OK (Docker Compose $v, default services, profile rtsp, existing-broker override)"
