#!/usr/bin/env bash
# Backs up the compose deployment: every named volume of the project (broker state and its
# credentials/CA, each service's database and secrets, the web UI's encrypted archive key, the camera
# registry, the local archive) into one .tar.gz per volume in the folder given, owners and modes
# kept. Stop the stack first (`docker compose stop`) so every database is consistent; the script
# refuses to run while a container of the project is running. Restore with scripts/restore.sh.
#
#   docker compose stop && scripts/backup.sh /mnt/usb/mecam-backup && docker compose start
#
# Run it from the checkout (it reads the project name as docker compose does: COMPOSE_PROJECT_NAME,
# .env, or "mecam"). The backup holds secrets: keep it as private as the server (it is written 0700).
set -euo pipefail
dir=${1:?usage: scripts/backup.sh <backup folder>}
cd "$(dirname "$0")/.."
die() { echo "backup: FAILED: $*" >&2; exit 1; }

project=$(docker compose config 2>/dev/null | sed -n 's/^name: //p' | head -1)
[[ -n $project ]] || die "cannot read the compose project name (run from the mecam checkout)"
[[ -z $(docker compose ps -q --status running) ]] || die "containers of '$project' are running: docker compose stop first"
mkdir -p "$dir"; chmod 0700 "$dir"; dir=$(cd "$dir" && pwd)

n=0
for vol in $(docker compose config --volumes); do
  full="${project}_${vol}"
  docker volume inspect "$full" >/dev/null 2>&1 || continue
  docker run --rm --network none -v "$full:/volume:ro" -v "$dir:/backup" debian:bookworm-slim \
    tar --numeric-owner -C /volume -czf "/backup/$vol.tar.gz" .
  echo "backup: $full -> $dir/$vol.tar.gz"
  n=$((n + 1))
done
[[ $n -gt 0 ]] || die "no volume of project '$project' found"
echo "backup: $n volumes of '$project' in $dir"
