#!/usr/bin/env bash
# Compiles the tests and runs the benchmark mains on the test classpath.
# Usage: bench/run.sh [shared-dir]   (default: ../shared next to the repository)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="${1:-$repo/../shared}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
cd "$repo"
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -pl functions test-compile dependency:build-classpath -Dmdep.outputFile="$cpfile"
cp="functions/target/test-classes:functions/target/classes:$(cat "$cpfile")"

bench() { echo "== $1"; "$java" -cp "$cp" "$@" ; }

bench io.smdrelease.bench.ChangelogBench "$shared"
bench io.smdrelease.bench.GenerateBench "$shared/fixtures/generate/patch-4.4.0-to-4.4.1/input"
echo "== CLI start-up"
"$repo/bench/cli-startup.sh"
bench io.smdrelease.bench.GenerateHandlerBench "$shared/fixtures/generate/patch-4.4.0-to-4.4.1/input"
echo "== repodata parse + index (generated ≈300 MB, 600k records, -Xmx1g)"
"$java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$cp" io.smdrelease.bench.RepodataBench 600000 5
bench io.smdrelease.bench.BuiltImageBench "$shared/fixtures/locks/4.4.0"
echo "== promotion: 2 types to 3 repositories (docker-registry on 127.0.0.1; version tags, aliases, again)"
"$java" -cp "$cp" io.smdrelease.bench.PromoteBench 30 3
echo "== signing one candidate and verifying it (local key; AWS Signer on MiniStack, API calls counted)"
"$java" -cp "$cp" io.smdrelease.bench.SigningBench 30
