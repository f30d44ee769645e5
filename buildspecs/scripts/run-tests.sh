#!/usr/bin/env bash
# Runs the distribution's own image tests against the built image, unless SKIP_TESTS=true, and writes and
# publishes $WORK_DIR/test-report-<type>.json (docs/contract.md). The cases are those of the image type's
# @pytest.mark.parametrize list in test/test_dockerfile_based_harness.py (read by harness-cases.py, which also
# applies the harness's skips); each runnable case is run as the harness runs it:
#   - the test image is built from test/test_artifacts/v<major>/<Dockerfile> with that folder as context, a
#     2 GB shm and the build arg SAGEMAKER_DISTRIBUTION_IMAGE=<image under test>;
#   - its default command runs; the case passes when it exits 0 (its logs are printed otherwise);
#   - log-wait cases (sagemaker-recovery-mode.test.Dockerfile) pass when the container logs the harness's line
#     (jupyterlabserver entered RUNNING state) within its timeout (5 s); the container is then removed;
#   - gpu images' cases get every GPU when nvidia-smi finds a driver (the harness's rule), else none.
# Exits non-zero naming the failed cases; 0 when none failed (all skipped or no cases included: the release
# gate judges that). No harness file in the distribution: a report without cases, "harness": null, exit 0.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HARNESS_PATH="test/test_dockerfile_based_harness.py"
# The harness's shmsize for test image builds (bytes).
TEST_BUILD_SHM_SIZE=2048000000

require_env IMAGE_TYPE
require_cmd jq
report="$WORK_DIR/test-report-$IMAGE_TYPE.json"

# write_report JSON: the report file, published next to the artifacts.
write_report() {
  printf '%s\n' "$1" >"$report"
  publish_artifact "$report"
}

if is_true "${SKIP_TESTS:-false}"; then
  log "SKIP_TESTS=true: image tests SKIPPED, the image is not tested"
  write_report "$(jq -n --arg t "$IMAGE_TYPE" '{imageType: $t, skipTests: true, harness: null, cases: [],
    summary: {passed: 0, failed: 0, skipped: 0}, note: "SKIP_TESTS=true: no image test was run"}')"
  exit 0
fi

image="$(local_image)"
version="$(build_arg IMAGE_VERSION)"
major="${version%%.*}"
[[ "$major" =~ ^[0-9]+$ ]] || die "IMAGE_VERSION '$version' does not start with a major version number"
harness="$IMAGE_TESTS_DIR/${HARNESS_PATH#test/}"
artifacts="$IMAGE_TESTS_DIR/test_artifacts/v$major"
container_engine >/dev/null
image_id="$(engine_image_id "$image")" || die "no image $image: run build-image.sh first"
base_report="$(jq -n --arg t "$IMAGE_TYPE" --arg i "$image" --arg id "$image_id" \
  '{imageType: $t, image: $i, imageId: $id, skipTests: false}')"

if [[ ! -f "$harness" ]]; then
  log "WARNING: the distribution has no $HARNESS_PATH: no image test can run"
  write_report "$(jq --arg h "$HARNESS_PATH" '. + {harness: null, cases: [], summary: {passed: 0, failed: 0,
    skipped: 0}, note: ("the distribution has no " + $h + ": no image test was run")}' <<<"$base_report")"
  exit 0
fi

require_cmd python3
plan="$WORK_DIR/test-plan-$IMAGE_TYPE.json"
python3 "$(dirname "${BASH_SOURCE[0]}")/harness-cases.py" --harness "$harness" --image-type "$IMAGE_TYPE" \
  --artifacts "$artifacts" --env-out "$VERSION_DIR/$IMAGE_TYPE.env.out" >"$plan"
count="$(jq '.cases | length' "$plan")"
runnable="$(jq '[.cases[] | select(.skip == null)] | length' "$plan")"
log "$HARNESS_PATH: $count $IMAGE_TYPE case(s), $runnable to run against $image"

gpus=none
if ((runnable > 0)); then
  require_cmd "$(container_runner)"
  # The harness passes every GPU to gpu images' cases when this query succeeds; without GPUs they run without.
  if [[ "$IMAGE_TYPE" == "gpu" ]]; then
    if command -v nvidia-smi >/dev/null 2>&1 &&
      nvidia-smi --query-gpu=driver_version --format=csv,noheader --id=0 >/dev/null 2>&1; then
      gpus=all
    else
      log "no NVIDIA driver answers (nvidia-smi): the gpu cases run without GPUs"
    fi
  fi
fi

logs="$WORK_DIR/test-logs"
rm -rf "$logs"
mkdir -p "$logs"
results="$WORK_DIR/test-results-$IMAGE_TYPE.jsonl"
: >"$results"

# wait_for_log CONTAINER TEXT TIMEOUT: the harness's _wait_for_logs (looks once a second until TIMEOUT s).
wait_for_log() {
  local container="$1" text="$2" timeout="$3" start
  start="$(now_ms)"
  while (($(now_ms) - start < timeout * 1000)); do
    if container_logs "$container" | grep -qF -- "$text"; then return 0; fi
    sleep 1
  done
  return 1
}

# run_case INDEX CASE_JSON LOGFILE: builds and runs one case, its output in LOGFILE; prints "passed" or
# "failed|<reason>".
run_case() {
  local index="$1" case_json="$2" logfile="$3" dockerfile test_image container code text timeout
  dockerfile="$(jq -r '.name' <<<"$case_json")"
  test_image="localhost/smd-image-test/$(tr '[:upper:]' '[:lower:]' <<<"${dockerfile//./-}"):$version"
  if ! engine_build --shm-size "$TEST_BUILD_SHM_SIZE" "$artifacts" "$dockerfile" "$test_image" false \
    "SAGEMAKER_DISTRIBUTION_IMAGE=$image" >>"$logfile" 2>&1; then
    printf 'failed|the test image did not build (see its log)'
    return
  fi
  if [[ "$(jq '.waitForLog != null' <<<"$case_json")" == "true" ]]; then
    text="$(jq -r '.waitForLog.text' <<<"$case_json")"
    timeout="$(jq -r '.waitForLog.timeout' <<<"$case_json")"
    container="$(container_start "$test_image" none 2>>"$logfile")" || { printf 'failed|the container did not start'; return; }
    if wait_for_log "$container" "$text" "$timeout"; then
      printf 'passed'
    else
      printf "failed|the container did not log '%s' within %s s" "$text" "$timeout"
    fi
  else
    container="$(container_start "$test_image" "$gpus" 2>>"$logfile")" || { printf 'failed|the container did not start'; return; }
    code="$(container_wait "$container" 2>>"$logfile")" || code="unknown (wait failed)"
    if [[ "$code" == "0" ]]; then printf 'passed'; else printf 'failed|the default command exited with %s' "$code"; fi
  fi
  printf '===== container output =====\n' >>"$logfile"
  container_logs "$container" >>"$logfile" || true
  container_remove "$container" || log "could not remove container $container"
  engine_rmi "$test_image" || log "could not remove $test_image (case $index)"
}

# Skipped cases at once; the others one by one. Each result carries its case's index for the report's order.
jq -c '.cases | to_entries[] | select(.value.skip != null) | .value + {index: .key}
  | {index, name, id, requiredPackages, result: "skipped", reason: .skip, seconds: 0}' "$plan" >>"$results"
mapfile -t indices < <(jq '.cases | to_entries[] | select(.value.skip == null) | .key' "$plan")
failed=()
for i in "${indices[@]}"; do
  case_json="$(jq -c ".cases[$i]" "$plan")"
  log "running case $i: $(jq -r '.id' <<<"$case_json")"
  started="$(now_ms)"
  outcome="$(run_case "$i" "$case_json" "$logs/$i.log")"
  millis=$(($(now_ms) - started))
  result="${outcome%%|*}"
  reason=""
  if [[ "$outcome" == *"|"* ]]; then reason="${outcome#*|}"; fi
  if [[ "$result" == "failed" ]]; then failed+=("$i"); fi
  jq -c --argjson i "$i" --arg r "$result" --arg why "$reason" --argjson ms "$millis" \
    '{index: $i, name, id, requiredPackages, result: $r, reason: $why, seconds: ($ms / 1000)}' \
    <<<"$case_json" >>"$results"
done

write_report "$(jq -s --argjson base "$base_report" --arg h "$HARNESS_PATH" --arg a "test/test_artifacts/v$major" \
  --arg g "$gpus" --slurpfile plan "$plan" 'sort_by(.index) | map(del(.index)) | $base + {harness: $h,
    testArtifacts: $a, gpus: $g, deselected: $plan[0].deselected, cases: .,
    summary: {passed: map(select(.result == "passed")) | length, failed: map(select(.result == "failed")) | length,
      skipped: map(select(.result == "skipped")) | length}}' "$results")"

printf '\n%-8s %-56s %s\n' "RESULT" "CASE" "NOTE"
jq -r '.cases[] | "\(.result)\t\(.name)\t\(.reason)"' "$report" | while IFS=$'\t' read -r result name note; do
  printf '%-8s %-56s %s\n' "$result" "$name" "$note"
done
jq -r --arg t "$IMAGE_TYPE" '.summary | "\n\($t) image tests: passed \(.passed), failed \(.failed), skipped \(.skipped)"' "$report"

if ((${#failed[@]} > 0)); then
  names=()
  for i in "${failed[@]}"; do
    names+=("$(jq -r ".cases[$i].name" "$plan")")
    printf '===== log of failed case %s =====\n' "$(jq -r ".cases[$i].id" "$plan")"
    cat "$logs/$i.log"
  done
  die "image test case(s) failed: ${names[*]}"
fi
log "no image test case failed"
