#!/usr/bin/env bash
# Notifier benchmark (docs/benchmarks.md, "## Notifier"): builds the loopback peers (libs/testkit), the
# packaged notifier and this harness, runs it, and prints one verdict per acceptance target of issue 6.
# Usage: bash bench/notifier/run.sh [--quick] [--webpush-only|--fcm-only]
#   SKIP_BUILD=1                    reuse the jars already built
#   NOTIFIER_JAVA_OPTS="-XX:StartFlightRecording=filename=n.jfr,settings=profile"   profile the service
# The output is also written to bench/notifier/target/result-<UTC time>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -o -pl libs/testkit,libs/mqtt install -DskipTests
  ./mvnw -B -q -o -pl notifier-service package -DskipTests
  ./mvnw -B -q -o -f bench/notifier/pom.xml package
fi
mkdir -p bench/notifier/target
out="bench/notifier/target/result-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "notifier bench $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores,"\
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Dsun.net.httpserver.nodelay=true -jar bench/notifier/target/notifier-bench.jar "$@" 2>&1 | grep --line-buffered -v -e '^SLF4J' -e '^environment of the notifier'
} | tee "$out"
echo "(written to $out)"
