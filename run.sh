#!/usr/bin/env bash
# Runs the whole mecam system on this machine with nothing but a JDK: builds what is needed, then starts
# its own credentialed broker (Debian's mosquitto with dynamic security and TLS, on free ports; an
# embedded one only when mosquitto is not installed), the three services and one camera agent on a
# generated scene, and prints the web UI address and where the generated passwords are. It never joins
# a broker it was not told to use (--broker-url). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
echo "building mecam (the first run downloads dependencies; later runs take about a minute) ..."
start=$(date +%s)
# One line per module as the build reaches it, instead of minutes of silence; the full log is kept.
mkdir -p .mecam && : >.mecam/build.log
./mvnw -B -DskipTests package >.mecam/build.log 2>&1 </dev/null &
pid=$!
tail -n +1 -f .mecam/build.log --pid="$pid" 2>/dev/null \
  | grep --line-buffered -E '^\[INFO\] Building mecam' \
  | sed -u -E 's/^\[INFO\] Building (.*[^ ]) +(\[[0-9]+\/[0-9]+\])$/  \2 \1/' || true
if ! wait "$pid"; then
  echo "build failed; the last lines of .mecam/build.log:" >&2
  tail -n 40 .mecam/build.log >&2
  exit 1
fi
echo "built in $(( $(date +%s) - start )) s"
exec java -jar launcher/target/mecam-launcher-*-runner.jar "$@"
