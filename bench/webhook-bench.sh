#!/usr/bin/env bash
# Webhook benchmark (docs/BENCHMARKS.md): builds the service, then starts an embedded PostgreSQL and the
# packaged service in JVM mode on this machine, and drives it with a realistic signed event stream.
# Usage: bench/webhook-bench.sh [--customers 1000] [--concurrency 32] [--runs 3] [--rate 1000]
#                               [--scenarios e2e,ack,steady,startup] [--warmup 500]
set -euo pipefail
cd "$(dirname "$0")/.."
# package also makes target/quarkus-app/app-cds.jsa (quarkus.package.jar.appcds.enabled) with this JVM.
./mvnw -B -q package -DskipTests
./mvnw -B -q exec:java@bench -Dexec.args="$*"
