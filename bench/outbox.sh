#!/usr/bin/env bash
# Outbox benchmark: publish lag at a steady rate and relay throughput, against the embedded PostgreSQL and
# the in-JVM Kafka broker. Prints a Markdown table (also in target/bench/outbox.md) for docs/benchmarks.md.
# Tunables: -Dbench.rate=200 -Dbench.seconds=30 -Dbench.backlog=10000
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp test -Dtest=OutboxBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  "$@"
cat target/bench/outbox.md
