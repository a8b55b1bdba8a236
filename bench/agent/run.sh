#!/usr/bin/env bash
# Camera-agent benchmark: analysis frames/s per core, agent decode+detect vs decode-only on the same
# 720p H.264 file in the same run (and with a 360p detect substream of the same scene), and the agent's
# resident memory at 720p. Results go to stdout;
# docs/benchmarks.md (## Camera agent) records a run. Usage: bench/agent/run.sh [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ "${1:-}" != "--skip-build" ]]; then
  ./mvnw -B -q -pl camera-agent package -DskipTests
fi
JAR=$(ls camera-agent/target/mecam-camera-agent-*-runner.jar | head -1)
WORK=camera-agent/target/bench-agent
mkdir -p "$WORK"

echo "== throughput (java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(nproc) cores)"
java -cp "$JAR" bench/agent/AgentBench.java "$WORK"

# Resident memory: the real agent jar plays the 720p file in real time for 40 s with Pi-style JVM
# flags (no broker: it keeps retrying, which is part of real life). VmHWM is the peak RSS.
rss() {
  local label=$1; shift
  local extra=()
  if [[ "$label" == *detect-source* ]]; then extra=(--detect-source "$WORK/scene-360p-sub.mp4"); fi
  local dir="$WORK/rss-$label"
  rm -rf "$dir"; mkdir -p "$dir"
  head -c 24 /dev/urandom | base64 > "$dir/token"; chmod 600 "$dir/token"
  java "$@" -jar "$JAR" --camera-id bench --source "$WORK/scene-720p.mp4" --loop \
    --data-dir "$dir" --media-token-file "$dir/token" --http-port 0 --mqtt-url tcp://127.0.0.1:9 \
    --log-level warn "${extra[@]}" > "$dir/agent.log" 2>&1 &
  local pid=$!
  sleep 40
  local hwm rss
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  printf "rss 720p %-28s: peak %4d MB, after 40 s %4d MB\n" "$label" $((hwm / 1024)) $((rss / 1024))
}
echo "== memory"
rss "pi-flags(-Xmx96m,SerialGC)" -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
rss "jvm-defaults" 
rss "pi-flags+detect-source(360p)" -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
