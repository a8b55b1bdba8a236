#!/usr/bin/env bash
# Makes the one base image every mecam image starts FROM, debian:bookworm-slim, when the Docker
# engine does not have it yet. On a machine that can pull from Docker Hub this is never needed
# (`docker build` pulls the official image); where no image registry is reachable it builds the
# same thing from Debian's own packages: mmdebstrap (variant minbase, what the official slim image
# is) into a tar stream, `docker import`ed under that tag. Everything else is then built exactly as
# a user builds it.
#
# Idempotent: an existing debian:bookworm-slim is kept (pass --force to rebuild it). Needs root
# (mmdebstrap's root mode) and mmdebstrap; scripts/prerequisites.sh installs it.
#
# Small on purpose (about 80 MB): the merged-/usr layout is made by mmdebstrap's hook rather than by
# the usrmerge package, which would pull in Perl (40 MB). Like the official slim image, dpkg is told to leave out manual pages, other
# documentation and translations; the rule stays in the image (/etc/dpkg/dpkg.cfg.d/), so packages
# the Dockerfiles install are trimmed the same way. apt's package lists are removed at the end.
set -euo pipefail

tag=debian:bookworm-slim
mirror=${MECAM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${MECAM_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

log() { echo "base-image: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

force=false
[[ ${1:-} == --force ]] && force=true

command -v docker >/dev/null || die "no docker CLI"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (is dockerd running?)"
if ! $force && docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag present ($(docker image inspect -f '{{.Id}}' "$tag" | cut -c1-19)), nothing to do"
  exit 0
fi
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (apt-get install mmdebstrap)"
[[ $(id -u) -eq 0 ]] || die "must run as root (mmdebstrap root mode)"

start=$(date +%s)
log "building $tag from $mirror with mmdebstrap (variant minbase)"
# The tar goes straight into the engine; nothing is left on disk.
mmdebstrap --quiet --variant=minbase --format=tar \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --aptopt='Acquire::Languages "none"' \
  --aptopt='APT::Install-Recommends "false"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/*.bin "$1"/var/log/*.log "$1"/var/log/apt/*' \
  bookworm - \
  "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" \
  "deb $security bookworm-security main" \
  | docker import \
      --change 'CMD ["bash"]' \
      --change 'LABEL org.mecam.base-image="mmdebstrap bookworm minbase"' \
      - "$tag" >/dev/null
log "$tag built in $(( $(date +%s) - start )) s, $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
