#!/usr/bin/env bash
# Bucket store (S3) I/O benchmark: publish a 4.4.1-sized version and read it back, parallel vs one request at a time, against
# MiniStack's S3 behind a delaying TCP proxy (testsupport/DelayProxy). Not a test; prints a table.
# Usage: bench/s3-io.sh [exchangeLatencyMs=15] [iterations=15]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$repo/functions"
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec "$JAVA_HOME/bin/java" -Drepo.dir="$repo" \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.smdrelease.bench.S3IoBench "$@"
