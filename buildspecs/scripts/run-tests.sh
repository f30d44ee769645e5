#!/usr/bin/env bash
# Runs the image tests of $WORK_DIR/test against the built image, unless SKIP_TESTS=true.
# test/manifest.json: {"tests": [{"name", "dockerfile", "requiredPackages": [...], "gpuOnly": bool}]}.
# A test is a Dockerfile (ARG BASE_IMAGE / FROM $BASE_IMAGE / RUN checks) built with the test directory as
# context; it passes when the build succeeds. It runs only when every required package appears in the image's
# env.out and, for gpuOnly, when IMAGE_TYPE=gpu. Prints a table; any failed test fails, naming it.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env IMAGE_TYPE
if is_true "${SKIP_TESTS:-false}"; then
  log "SKIP_TESTS=true: image tests SKIPPED, the image is not tested"
  exit 0
fi
require_cmd jq
container_engine >/dev/null
manifest="$IMAGE_TESTS_DIR/manifest.json"
[[ -f "$manifest" ]] || die "no test manifest at $manifest (set SKIP_TESTS=true to build without tests)"
jq -e '.tests | type == "array"' "$manifest" >/dev/null || die "$manifest has no \"tests\" array"
envout="$WORK_DIR/$IMAGE_TYPE.env.out"
[[ -f "$envout" ]] || die "no $envout: run export-env.sh first"
image="$(local_image)"
version="$(build_arg IMAGE_VERSION)"

# Package names from explicit lines: https://conda.anaconda.org/<ch>/<subdir>/<name>-<version>-<build>.conda#md5
packages="$WORK_DIR/$IMAGE_TYPE.packages"
grep -E '^https?://' "$envout" |
  sed -E 's/#.*$//; s#^.*/##; s/\.(conda|tar\.bz2)$//; s/-[^-]+-[^-]+$//' | sort -u >"$packages"

logs="$WORK_DIR/test-logs"
rm -rf "$logs"
mkdir -p "$logs"
results=()
failed=()
count="$(jq '.tests | length' "$manifest")"
for ((i = 0; i < count; i++)); do
  test_json="$(jq -c ".tests[$i]" "$manifest")"
  name="$(jq -r '.name // empty' <<<"$test_json")"
  dockerfile="$(jq -r '.dockerfile // empty' <<<"$test_json")"
  gpu_only="$(jq -r '.gpuOnly // false' <<<"$test_json")"
  [[ "$name" =~ ^[a-z0-9][a-z0-9._-]*$ ]] || die "test $i of $manifest: name '$name' must match [a-z0-9][a-z0-9._-]*"
  [[ -n "$dockerfile" && -f "$IMAGE_TESTS_DIR/$dockerfile" ]] || die "test $name: no Dockerfile '$dockerfile' in $IMAGE_TESTS_DIR"

  if [[ "$gpu_only" == "true" && "$IMAGE_TYPE" != "gpu" ]]; then
    results+=("$name|skipped|gpu only")
    continue
  fi
  missing=()
  while IFS= read -r pkg; do
    grep -qxF "$pkg" "$packages" || missing+=("$pkg")
  done < <(jq -r '.requiredPackages // [] | .[]' <<<"$test_json")
  if ((${#missing[@]} > 0)); then
    results+=("$name|skipped|not in env.out: ${missing[*]}")
    continue
  fi

  log "running test $name ($dockerfile)"
  test_image="localhost/smd-image-test-$name:$version"
  if engine_build "$IMAGE_TESTS_DIR" "$dockerfile" "$test_image" false "BASE_IMAGE=$image" >"$logs/$name.log" 2>&1; then
    results+=("$name|passed|")
    engine_rmi "$test_image" || log "could not remove $test_image"
  else
    results+=("$name|failed|see log below")
    failed+=("$name")
  fi
done

printf '\n%-40s %-8s %s\n' "TEST" "RESULT" "NOTE"
for row in "${results[@]}"; do
  IFS='|' read -r name result note <<<"$row"
  printf '%-40s %-8s %s\n' "$name" "$result" "$note"
done
printf '\n'

if ((${#failed[@]} > 0)); then
  for name in "${failed[@]}"; do
    printf '===== log of failed test %s =====\n' "$name"
    cat "$logs/$name.log"
  done
  die "image test(s) failed: ${failed[*]}"
fi
log "all image tests that apply passed ($count in manifest)"
