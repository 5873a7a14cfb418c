#!/usr/bin/env bash
# Billing API benchmark (docs/BENCHMARKS.md, "Billing API"): builds the service, then starts an embedded
# PostgreSQL, a local Stripe stub and the packaged service in JVM mode on this machine, and measures
# entitlements reads, credit consumption on one account, and checkout's overhead over the stub.
# Usage: bench/api-bench.sh [--runs 3] [--seconds 15] [--concurrency 32]
#                           [--scenarios entitlements,consume,checkout] [--checkouts 600]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
package_with_cds_archive
./mvnw -B -q exec:java@api-bench -Dexec.args="$*"
