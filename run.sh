#!/usr/bin/env bash
# Runs the whole mecam system on this machine with nothing but a JDK: builds what is needed, then starts
# a broker (or uses the one on localhost:1883), the three services and one camera agent on a generated
# scene, and prints the web UI address and how to log in. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
echo "building mecam (first run downloads dependencies; later runs take about a minute) ..."
./mvnw -B -q -DskipTests install
exec java -jar launcher/target/mecam-launcher-*-runner.jar "$@"
