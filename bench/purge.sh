#!/usr/bin/env bash
# Purge benchmark: a revoking user's purge over 100,000 stored events and deliveries, per batch size, against
# the embedded PostgreSQL. Prints a Markdown table (also in target/bench/purge.md) for docs/benchmarks.md.
# Tunables: -Dbench.events=100000
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp test -Dtest=PurgeBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  "$@"
cat target/bench/purge.md
