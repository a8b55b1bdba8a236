#!/usr/bin/env bash
# Prepares the camera agent's arm64 test (Arm64EmulationIT): an arm64 Debian root with a Java 17
# runtime, made once with mmdebstrap (extract variant: no foreign maintainer scripts, so no binfmt_misc
# is needed) and kept under a stable path between runs, and the Pi jar (-Ppi: linux-arm64 natives) of
# this checkout. The test then runs that jar with qemu-aarch64-static -L <root>.
#
#   MECAM_ARM64_ROOT  where the root lives (default /var/cache/mecam/arm64-root)
#   MECAM_ARM64_JAR   where the Pi jar is copied (default camera-agent/target/arm64/mecam-camera-agent-arm64.jar)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
root=${MECAM_ARM64_ROOT:-/var/cache/mecam/arm64-root}
jar=${MECAM_ARM64_JAR:-$repo/camera-agent/target/arm64/mecam-camera-agent-arm64.jar}
packages=openjdk-17-jre-headless,libva-drm2  # libva-drm2: FFmpeg's arm64 JNI links libva-drm.so.2 (the Pi needs it too)
log() { echo "arm64-prepare: $*" >&2; }

command -v qemu-aarch64-static >/dev/null || { log "qemu-aarch64-static missing (Debian package qemu-user-static)"; exit 1; }

if [[ ! -x $root/usr/lib/jvm/java-17-openjdk-arm64/bin/java || "$(cat "$root/.mecam-packages" 2>/dev/null)" != "$packages" ]]; then
  log "making the arm64 root at $root (once; about 3 min and 270 MB)"
  rm -rf "$root.tmp"
  mkdir -p "$(dirname "$root")"
  mmdebstrap --quiet --variant=extract --arch=arm64 --include="$packages" bookworm "$root.tmp"
  echo "$packages" > "$root.tmp/.mecam-packages"
  rm -rf "$root"
  mv "$root.tmp" "$root"
fi
qemu-aarch64-static -L "$root" "$root/usr/lib/jvm/java-17-openjdk-arm64/bin/java" -version 2>&1 | head -1 >&2

log "building the Pi jar (-Ppi)"
cd "$repo"
./mvnw -B -q -pl camera-agent -am -Ppi -DskipTests package
mkdir -p "$(dirname "$jar")"
cp camera-agent/target/mecam-camera-agent-*-runner.jar "$jar"
log "Pi jar: $jar"
