#!/usr/bin/env bash
# Creates or rotates the MQTT credential of one camera or service.
#
#   mosquitto/add-credential.sh <name>
#
# <name> is a camera id ([a-z0-9-]{1,32}, not starting with "svc-") or a service account
# ("svc-uploader", "svc-notifier", "svc-web-ui", "svc-admin", ...). The script
#   1. generates a random password (32 random bytes, base64url: about 190 bits),
#   2. adds or replaces <name> in mosquitto/passwd (PBKDF2-SHA512 hash, via mosquitto_passwd;
#      without a local mosquitto_passwd it runs the one in the eclipse-mosquitto:2 image),
#   3. writes the password to secrets/<name>.password (mode 0600) for docker compose or the Pi.
# The password never appears on a command line (it is piped to mosquitto_passwd) nor on screen.
# A running broker picks the change up on SIGHUP: docker compose kill -s HUP mosquitto
set -euo pipefail

usage() {
  echo "usage: $0 <camera-id | svc-name>" >&2
  exit 2
}

[[ $# -eq 1 ]] || usage
name=$1
if [[ ! $name =~ ^[a-z0-9-]{1,32}$ ]]; then
  echo "error: '$name' is not a valid name: use 1-32 of a-z 0-9 - (camera id) or svc-<service>" >&2
  exit 2
fi
if [[ $name == svc-* ]]; then
  kind="service account"
  [[ ${#name} -gt 4 ]] || { echo "error: 'svc-' needs a service name after it" >&2; exit 2; }
else
  kind="camera"
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
passwd_file=$repo/mosquitto/passwd
secrets_dir=$repo/secrets
secret_file=$secrets_dir/$name.password

# Secrets are readable by their owner only, from the first byte on.
umask 077
mkdir -p "$secrets_dir"
chmod 0700 "$secrets_dir"

password=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
[[ ${#password} -ge 40 ]] || { echo "error: could not generate a password" >&2; exit 1; }

# Add or replace the user. Without -b mosquitto_passwd reads the password twice from stdin, so it
# never shows up in a process list; -c (create) only when there is no file yet, or it would wipe
# every other credential.
run_passwd() {
  local create=()
  [[ -s $passwd_file ]] || create=(-c)
  if command -v mosquitto_passwd >/dev/null 2>&1; then
    printf '%s\n%s\n' "$password" "$password" | mosquitto_passwd "${create[@]}" "$passwd_file" "$name" >/dev/null
  elif command -v docker >/dev/null 2>&1; then
    echo "mosquitto_passwd not installed here; using the one in the eclipse-mosquitto:2 image" >&2
    touch "$passwd_file"
    printf '%s\n%s\n' "$password" "$password" | docker run --rm -i --user "$(id -u):$(id -g)" \
      -v "$repo/mosquitto:/work" --entrypoint mosquitto_passwd eclipse-mosquitto:2 \
      "${create[@]}" /work/passwd "$name" >/dev/null
  else
    echo "error: need mosquitto_passwd (apt-get install mosquitto) or docker" >&2
    exit 1
  fi
}

tmp_secret=$(mktemp "$secrets_dir/.$name.XXXXXX")
trap 'rm -f "$tmp_secret"' EXIT
printf '%s' "$password" >"$tmp_secret"
run_passwd
# Only now that the broker's file holds the new hash does the new secret replace the old one.
mv -f "$tmp_secret" "$secret_file"
chmod 0600 "$secret_file"
trap - EXIT

# The broker in the container reads this file as its own user (uid 1883) after dropping root, so
# it must be readable by others; it holds only salted PBKDF2 hashes of random 190-bit passwords,
# which cannot be brute-forced. The passwords themselves stay in secrets/ (0600).
chmod 0644 "$passwd_file"

echo "$kind '$name': hash in mosquitto/passwd, password in secrets/$name.password (mode 0600)"
echo "reload a running broker: docker compose kill -s HUP mosquitto"
