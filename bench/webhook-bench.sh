#!/usr/bin/env bash
# Webhook benchmark (docs/BENCHMARKS.md): builds the service, then starts an embedded PostgreSQL and the
# packaged service in JVM mode on this machine, and drives it with a realistic signed event stream.
# Usage: bench/webhook-bench.sh [--customers 1000] [--concurrency 32] [--runs 3] [--rate 1000]
#                               [--scenarios e2e,ack,steady,startup] [--warmup 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
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
