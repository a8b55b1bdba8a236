#!/usr/bin/env bash
# For docker-compose.existing-broker.yml: adds the service users that compose's init service created
# (svc-uploader, svc-notifier, svc-web-ui, with the passwords in their secrets volumes) to an existing
# Mosquitto's password file, with mosquitto_passwd. Reload that broker afterwards (SIGHUP) and give the
# users the ACL of mosquitto/acl. Passwords are never printed.
#
#   docker compose -f docker-compose.yml -f docker-compose.existing-broker.yml run --rm init
#   scripts/existing-broker-users.sh /etc/mosquitto/passwd
set -euo pipefail
passwd=${1:?usage: scripts/existing-broker-users.sh <mosquitto password file>}
cd "$(dirname "$0")/.."
die() { echo "existing-broker-users: FAILED: $*" >&2; exit 1; }
command -v mosquitto_passwd >/dev/null || die "mosquitto_passwd is missing (apt-get install mosquitto)"
project=$(docker compose config 2>/dev/null | sed -n 's/^name: //p' | head -1)
[[ -n $project ]] || die "cannot read the compose project name (run from the mecam checkout)"
[[ -e $passwd ]] || { (umask 077; : >"$passwd"); }
for pair in svc-uploader:uploader-secrets svc-notifier:notifier-secrets svc-web-ui:webui-secrets; do
  user=${pair%%:*}; vol="${project}_${pair#*:}"
  docker volume inspect "$vol" >/dev/null 2>&1 || die "volume $vol missing: run the init service first"
  pw=$(docker run --rm --network none -v "$vol:/s:ro" debian:bookworm-slim cat /s/mqtt.password)
  mosquitto_passwd -b "$passwd" "$user" "$pw"
  echo "existing-broker-users: $user added to $passwd"
done
