#!/usr/bin/env bash
# Webhook benchmark (docs/BENCHMARKS.md): builds the service, then starts an embedded PostgreSQL and the
# packaged service in JVM mode on this machine, and drives it with a realistic signed event stream.
# Usage: bench/webhook-bench.sh [--customers 1000] [--concurrency 32] [--runs 3] [--rate 1000]
#                               [--scenarios e2e,ack,steady,startup,abuse] [--warmup 1000]
#                               [--attackers 2000] [--attack-seconds 15] [--abuse-events 5000] [--abuse-rate 250]
# The abuse scenario holds 2,000 sockets (plus the service's side of them): it needs `ulimit -n` above ~4,500.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
# The abuse scenario's 2,000 attacker sockets and the service's side of them, plus the stream's.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
  ulimit -n 8192 2>/dev/null || echo "ulimit -n is $(ulimit -n): the abuse scenario may run out of sockets" >&2
fi
package_with_cds_archive
# On JDK 25 or newer (JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64) the service starts from an AOT cache
# instead (docs/BENCHMARKS.md, "JDK 25"). Quarkus exits right after static initialisation in this run.
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if "$java_bin" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput; then
  rm -f target/quarkus-app/app.aot
  (cd target/quarkus-app && DB_URL=postgresql://127.0.0.1:9/none "$java_bin" -XX:AOTCacheOutput=app.aot \
    -jar quarkus-run.jar > ../aot-cache.log 2>&1 || true)
fi
./mvnw -B -q exec:java@bench -Dexec.args="$*"
