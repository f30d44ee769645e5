#!/usr/bin/env bash
# CLI wall time for create-patch-version-artifacts 4.4.0 → 4.4.1 (../shared/fixtures) next to a bare JVM hello-world
# on the same machine, both through hyperfine-like repeated runs (median of N). Goal: CLI ≤ 1.5× hello-world.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/java-home.sh
source "$here/scripts/java-home.sh"
runs="${RUNS:-15}"
fixture="${FIXTURE:-$here/../shared/fixtures/generate/patch-4.4.0-to-4.4.1/input}"
[ -f "$here/functions/target/smd-release.jar" ] || (cd "$here" && mvn -B -q package -DskipTests)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$work/hello/Hello.java"
"$JAVA_HOME/bin/javac" -d "$work/hello" "$work/hello/Hello.java"
cp -r "$fixture" "$work/tree"
"$here/bin/smd-release" create-patch-version-artifacts --base-patch-version 4.4.0 --root "$work/tree" --force >/dev/null

median_ms() { # command... → median wall time in ms over $runs runs
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
hello=$(median_ms "$JAVA_HOME/bin/java" -Xshare:auto -cp "$work/hello" Hello)
cli=$(median_ms "$here/bin/smd-release" create-patch-version-artifacts --base-patch-version 4.4.0 --root "$work/tree" --force)
echo "JVM hello-world:                median ${hello} ms"
echo "smd-release create-patch (CLI): median ${cli} ms"
awk -v c="$cli" -v h="$hello" 'BEGIN {printf "ratio CLI / hello-world:        %.2fx (goal <= 1.5x)\n", c / h}'
