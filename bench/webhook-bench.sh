#!/usr/bin/env bash
# Webhook benchmark (docs/BENCHMARKS.md): builds the service, then starts an embedded PostgreSQL and the
# packaged service in JVM mode on this machine, and drives it with a realistic signed event stream.
# Usage: bench/webhook-bench.sh [--customers 1000] [--concurrency 32] [--runs 3] [--rate 1000]
#                               [--scenarios e2e,ack,steady]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
# The class-data sharing archive src/main/docker/Dockerfile.jvm makes, made with this machine's JVM.
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:ArchiveClassesAtExit=target/quarkus-app/app-cds.jsa -Dquarkus.appcds.generate=true \
  -jar target/quarkus-app/quarkus-run.jar > target/app-cds.log 2>&1
./mvnw -B -q exec:java@bench -Dexec.args="$*"
