#!/usr/bin/env bash
# Load benchmark: the packaged service on the embedded PostgreSQL against a bare HMAC-only HTTPS endpoint, at
# fixed rates and at the maximum rate, with CRC latency, start time and RSS. Writes target/bench/load.md and
# rewrites the table between the load markers in docs/benchmarks.md.
# Tunables: -Dbench.rates=250,500,1000 -Dbench.seconds=20 -Dbench.connections=64 -Dbench.jfr=/tmp/service.jfr
#   -Dbench.jfr.settings=default -Dbench.jvm="-Xlog:gc:file=/tmp/gc.log" (more JVM options for the service)
#   -Dbench.db-url=jdbc:postgresql://127.0.0.1:5432/bench (an empty database of a server of the machine's own)
#   -Dbench.projection=false (the service only acknowledges, like every replica but the projecting one)
#   -Dbench.crc-warmup=10 (seconds of CRCs before the CRC rate is measured)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp -q package -DskipTests -DskipNativeCheck
./mvnw -B -ntp surefire:test -Dtest='LoadBenchmark#measuresDurableIngestAgainstTheBareCeiling' -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false "$@"
awk -v table=target/bench/load.md '
  /<!-- load:begin/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- load:end/ { skip = 0 }
  !skip { print }
' docs/benchmarks.md > target/bench/benchmarks.md.new
mv target/bench/benchmarks.md.new docs/benchmarks.md
cat target/bench/load.md
echo "docs/benchmarks.md updated; note the date and commit under the table."
