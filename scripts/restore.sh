#!/usr/bin/env bash
# Restores what scripts/backup.sh saved into the volumes of the compose project (owners and modes
# kept), on a machine or checkout where those volumes do not exist yet (after `docker compose down
# --volumes`, or on a new server). It refuses to overwrite an existing volume. Then start as usual:
#
#   scripts/restore.sh /mnt/usb/mecam-backup && docker compose up -d
set -euo pipefail
dir=${1:?usage: scripts/restore.sh <backup folder>}
cd "$(dirname "$0")/.."
die() { echo "restore: FAILED: $*" >&2; exit 1; }

project=$(docker compose config 2>/dev/null | sed -n 's/^name: //p' | head -1)
[[ -n $project ]] || die "cannot read the compose project name (run from the mecam checkout)"
dir=$(cd "$dir" && pwd)
ls "$dir"/*.tar.gz >/dev/null 2>&1 || die "no *.tar.gz in $dir"
known=" $(docker compose config --volumes | tr '\n' ' ') "

for archive in "$dir"/*.tar.gz; do
  vol=$(basename "$archive" .tar.gz)
  [[ $known == *" $vol "* ]] || die "$vol is not a volume of docker-compose.yml"
  full="${project}_${vol}"
  ! docker volume inspect "$full" >/dev/null 2>&1 || die "volume $full exists; remove it first (docker compose down --volumes)"
done
for archive in "$dir"/*.tar.gz; do
  vol=$(basename "$archive" .tar.gz)
  full="${project}_${vol}"
  # The labels docker compose puts on the volumes it creates, so it adopts these as its own.
  docker volume create --label "com.docker.compose.project=$project" --label "com.docker.compose.volume=$vol" \
    "$full" >/dev/null
  docker run --rm --network none -v "$full:/volume" -v "$dir:/backup:ro" debian:bookworm-slim \
    tar --numeric-owner -C /volume -xzpf "/backup/$vol.tar.gz"
  echo "restore: $dir/$vol.tar.gz -> $full"
done
echo "restore: done; start with: docker compose up -d"
