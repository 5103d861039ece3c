#!/usr/bin/env bash
# Builds the benchmark module (and what it needs) and runs the benchmark in its own JVM.
#   bench/run.sh                      preserved rows at 100k and 1M rows, then downtime/API calls on the emulator
#   bench/run.sh rows 100000          preserved rows only, at the given row counts
#   bench/run.sh downtime             downtime and API calls only
#   options: --reps R (default 3, best of R), --work DIR, -v
# See docs/performance.md. Run it on a quiet machine: it prints the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -pl bench -am package -DskipTests -Dmaven.javadoc.skip=true
exec java -Xms256m -Xmx256m -XX:+UseG1GC -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.jenkins.plugins.rdssync.bench.BenchMain "$@"
