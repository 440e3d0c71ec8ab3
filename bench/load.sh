#!/usr/bin/env bash
# Load benchmark: the packaged service on the embedded PostgreSQL against a bare HMAC-only HTTPS endpoint, at a
# fixed rate and at the maximum rate, with CRC latency, start time and RSS. Prints a Markdown table (also in
# target/bench/load.md) for docs/benchmarks.md.
# Tunables: -Dbench.rate=1000 -Dbench.seconds=20 -Dbench.connections=64
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp -q package -DskipTests -DskipNativeCheck
./mvnw -B -ntp surefire:test -Dtest=LoadBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false "$@"
cat target/bench/load.md
