#!/usr/bin/env bash
# Builds and runs the encryption benchmarks (docs/benchmarks.md, "## Encryption"):
#  1. JMH: raw JCE AES-256-GCM on 64 KiB slices vs the mecam format vs Tink's streaming AEAD,
#     in memory and file to file, one thread, 256 MiB of incompressible data;
#  2. a 2 GiB encrypt + decrypt under -Xmx64m, reporting peak heap.
# Short iterations: the whole run takes a few minutes. Usage: bench/crypto.sh [extra JMH args]
# BENCH_DIR (default /dev/shm if present) holds the file-to-file benchmark files, so they measure
# the code rather than this machine's disk; HEAP_DIR (default /tmp) holds the 2 GiB file.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl libs/crypto install -DskipTests
./mvnw -B -q -Pbench -pl bench/crypto-jmh package -DskipTests
JAR=bench/crypto-jmh/target/crypto-benchmarks.jar
OUT=bench/crypto-jmh/target/jmh-results.json
BENCH_DIR=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )}
java -jar "$JAR" -rf json -rff "$OUT" -jvmArgsAppend "-Dbench.dir=$BENCH_DIR" "$@" StreamingEncryptionBenchmark
python3 - "$OUT" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
mbps = {k: 268.435456 / (v["score"] / 1000.0) for k, v in rows.items()}
print("\n| benchmark | ms per 256 MiB | MB/s |")
print("|---|---|---|")
for k, v in rows.items():
    print("| %s | %.1f ± %.1f | %.0f |" % (k, v["score"], v["scoreError"] if v["scoreError"] == v["scoreError"] else 0, mbps[k]))
def ratio(a, b):
    return mbps[a] / mbps[b] if a in mbps and b in mbps else float("nan")
print("\nmecamEncryptMemory / rawAesGcm64KiB        = %.2f  (target >= 0.80)" % ratio("mecamEncryptMemory", "rawAesGcm64KiB"))
print("mecamEncryptMemoryHashing / rawAesGcm64KiB = %.2f" % ratio("mecamEncryptMemoryHashing", "rawAesGcm64KiB"))
print("mecamEncryptFile / tinkEncryptFile          = %.2f  (target >= 1.5)" % ratio("mecamEncryptFile", "tinkEncryptFile"))
print("mecamEncryptFileHashing / tinkEncryptFile   = %.2f" % ratio("mecamEncryptFileHashing", "tinkEncryptFile"))
print("mecamDecryptFile / tinkDecryptFile          = %.2f  (target >= 1.5)" % ratio("mecamDecryptFile", "tinkDecryptFile"))
print("mecamEncryptMemory / tinkEncryptMemory      = %.2f" % ratio("mecamEncryptMemory", "tinkEncryptMemory"))
print("mecamDecryptMemory / tinkDecryptMemory      = %.2f" % ratio("mecamDecryptMemory", "tinkDecryptMemory"))
PY
echo
echo "2 GiB encrypt + decrypt under -Xmx64m:"
java -Xmx64m -cp "$JAR" org.mecam.bench.HeapCheck $((2 * 1024 * 1024 * 1024)) "${HEAP_DIR:-/tmp}"
