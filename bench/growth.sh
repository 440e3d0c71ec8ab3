#!/usr/bin/env bash
# Growth benchmark: the maximum ack rate on an empty database and with 5 million deliveries stored (one day 40
# days back, seeded by SQL), then the ack latency at 1,000/s for 60 s while retention drops that day's
# partitions. Writes target/bench/growth.md and rewrites the table between the growth markers in docs/benchmarks.md.
# Tunables: -Dbench.growth=5000000 -Dbench.seconds=15 -Dbench.warmup=20 -Dbench.connections=64
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp -q package -DskipTests -DskipNativeCheck
./mvnw -B -ntp surefire:test -Dtest='LoadBenchmark#measuresGrowthAndRetention' -DexcludedGroups= \
  -Dsurefire.failIfNoSpecifiedTests=false "$@"
awk -v table=target/bench/growth.md '
  /<!-- growth:begin/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- growth:end/ { skip = 0 }
  !skip { print }
' docs/benchmarks.md > target/bench/benchmarks.md.new
mv target/bench/benchmarks.md.new docs/benchmarks.md
cat target/bench/growth.md
