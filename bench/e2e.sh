#!/usr/bin/env bash
# End-to-end benchmark: the packaged service on the embedded PostgreSQL publishing to the in-JVM Kafka broker, at
# a fixed rate for a while (2,000/s for 60 s by default), open loop: ack latency, POST-to-Kafka latency, backlog,
# drain time and CPU per delivery through to Kafka. Writes target/bench/e2e.md and rewrites the table between the
# e2e markers in docs/benchmarks.md.
# Tunables: -Dbench.rate=2000 -Dbench.seconds=60 -Dbench.warmup=20 -Dbench.connections=64 -Dbench.jfr=/tmp/e2e.jfr
#   -Dbench.jvm="..." (more JVM options for the service), as bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp -q package -DskipTests -DskipNativeCheck
./mvnw -B -ntp surefire:test -Dtest=EndToEndBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false "$@"
awk -v table=target/bench/e2e.md '
  /<!-- e2e:begin/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- e2e:end/ { skip = 0 }
  !skip { print }
' docs/benchmarks.md > target/bench/benchmarks.md.new
mv target/bench/benchmarks.md.new docs/benchmarks.md
cat target/bench/e2e.md
