#!/usr/bin/env bash
# Billing API benchmark (docs/BENCHMARKS.md, "Billing API"): builds the service, then starts an embedded
# PostgreSQL, a local Stripe stub and the packaged service in JVM mode on this machine, and measures
# entitlements reads, credit consumption on one account, and checkout's overhead over the stub.
# Usage: bench/api-bench.sh [--runs 3] [--seconds 15] [--concurrency 32]
#                           [--scenarios entitlements,consume,checkout] [--checkouts 600]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
# The same class-data sharing archive as the container image and bench/webhook-bench.sh.
rm -f target/quarkus-app/app-cds.jsa
(cd target/quarkus-app && DB_URL=postgresql://127.0.0.1:9/none java -XX:ArchiveClassesAtExit=app-cds.jsa \
  -jar quarkus-run.jar > ../app-cds.log 2>&1 || true)
./mvnw -B -q exec:java@api-bench -Dexec.args="$*"
