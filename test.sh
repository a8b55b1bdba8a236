#!/usr/bin/env bash
# The README's test command: sets up what a fresh Debian machine lacks (scripts/prerequisites.sh, as
# root: packages, Docker engine, base image), then runs every test, the compose end-to-end test
# (deploy-tests) included. Extra arguments go to Maven, e.g. ./test.sh -pl deploy-tests -am.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/prerequisites.sh
# Tests must use the real Mosquitto, never the embedded fallback.
export MECAM_REQUIRE_MOSQUITTO=true
exec ./mvnw -B verify "$@"
