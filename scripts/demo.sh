#!/usr/bin/env bash
# Builds the CLI and runs the main job on a copy of the sample distribution in examples/: a patch release 1.2.0 → 1.2.1
# and a minor release 1.2.0 → 1.3.0 (which copies the per-minor template and uses the additional packages file).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=java-home.sh
source "$here/scripts/java-home.sh"
(cd "$here" && mvn -B -q package -DskipTests)
work="$(mktemp -d)"
cp -r "$here/examples/sample-distribution/." "$work/"
"$here/bin/smd-release" create-patch-version-artifacts --base-patch-version 1.2.0 --root "$work"
"$here/bin/smd-release" create-minor-version-artifacts --base-patch-version 1.2.0 --root "$work"
echo
echo "== $work/build_artifacts/v1/v1.3/v1.3.0/cpu.env.in"
cat "$work/build_artifacts/v1/v1.3/v1.3.0/cpu.env.in"
