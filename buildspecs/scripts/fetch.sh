#!/usr/bin/env bash
# Fetches the version directory and the image tests into $WORK_DIR/version and $WORK_DIR/test, file modes and
# empty directories kept: the version directory is the image's build context.
#   S3 mode:    ARTIFACT_BUCKET, ARTIFACT_PREFIX (e.g. [store/]build_artifacts/v4/v4.4/v4.4.1); the tests come
#               from s3://$ARTIFACT_BUCKET/<root>test/ where <root> is what precedes build_artifacts/. aws s3 sync
#               writes every file without its mode and skips empty directories, so both are restored from the
#               version's manifest.json (each file's "mode", the "directories" list).
#   Local mode: ARTIFACT_DIR=/path/to/version/dir and optionally TEST_DIR=/path/to/test/dir (copied with cp -a).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# restore_modes MANIFEST DIR: chmod every file the manifest lists to its mode (0755 or 0644; none recorded: 0644)
# and create its empty directories. Paths must stay inside DIR.
restore_modes() {
  local manifest="$1" dir="$2" paths
  jq -e '(.files | type == "array") and ((.directories // []) | type == "array")' "$manifest" >/dev/null ||
    die "$manifest is not a version manifest (no \"files\" list)"
  paths="$(jq -r '.files[].path, (.directories // [])[]' "$manifest")"
  if grep -qE '(^/|(^|/)\.\.(/|$))' <<<"$paths"; then
    die "$manifest lists a path outside the version directory"
  fi
  jq -j '(.directories // [])[] | "\(.)\u0000"' "$manifest" | (cd "$dir" && xargs -0 -r mkdir -p --)
  jq -j '.files[] | select(.mode == "0755") | "\(.path)\u0000"' "$manifest" | (cd "$dir" && xargs -0 -r chmod 0755 --)
  jq -j '.files[] | select(.mode != "0755") | "\(.path)\u0000"' "$manifest" | (cd "$dir" && xargs -0 -r chmod 0644 --)
  log "restored the modes of $(jq '.files | length' "$manifest") file(s) ($(jq '[.files[] | select(.mode == "0755")] | length' "$manifest") executable) and $(jq '.directories // [] | length' "$manifest") empty director(ies) from manifest.json"
}

rm -rf "$VERSION_DIR" "$IMAGE_TESTS_DIR"
mkdir -p "$VERSION_DIR" "$IMAGE_TESTS_DIR"

if local_mode; then
  [[ -d "$ARTIFACT_DIR" ]] || die "ARTIFACT_DIR $ARTIFACT_DIR is not a directory"
  cp -a "$ARTIFACT_DIR/." "$VERSION_DIR/"
  log "copied version directory from $ARTIFACT_DIR"
  if [[ -n "${TEST_DIR:-}" ]]; then
    [[ -d "$TEST_DIR" ]] || die "TEST_DIR $TEST_DIR is not a directory"
    cp -a "$TEST_DIR/." "$IMAGE_TESTS_DIR/"
    log "copied image tests from $TEST_DIR"
  else
    log "TEST_DIR not set: no image tests fetched"
  fi
else
  require_env ARTIFACT_BUCKET ARTIFACT_PREFIX
  require_cmd aws
  prefix="${ARTIFACT_PREFIX%/}"
  [[ "$prefix" == *build_artifacts/* ]] || die "ARTIFACT_PREFIX '$ARTIFACT_PREFIX' does not contain build_artifacts/"
  root="${prefix%%build_artifacts/*}"
  aws s3 sync --only-show-errors "s3://$ARTIFACT_BUCKET/$prefix/" "$VERSION_DIR"
  log "synced s3://$ARTIFACT_BUCKET/$prefix/"
  if [[ -f "$VERSION_DIR/manifest.json" ]]; then
    require_cmd jq
    restore_modes "$VERSION_DIR/manifest.json" "$VERSION_DIR"
  else
    log "WARNING: s3://$ARTIFACT_BUCKET/$prefix/ has no manifest.json (an incomplete version?): file modes not restored"
  fi
  aws s3 sync --only-show-errors "s3://$ARTIFACT_BUCKET/${root}test/" "$IMAGE_TESTS_DIR"
  log "synced s3://$ARTIFACT_BUCKET/${root}test/"
fi

if [[ -n "${DOCKERFILE:-}" && ! -f "$VERSION_DIR/$DOCKERFILE" ]]; then
  die "the version directory has no $DOCKERFILE (files: $(find "$VERSION_DIR" -maxdepth 1 -mindepth 1 -printf "%f "))"
fi
log "version directory: $(find "$VERSION_DIR" -type f | wc -l) file(s); tests: $(find "$IMAGE_TESTS_DIR" -type f | wc -l) file(s)"
