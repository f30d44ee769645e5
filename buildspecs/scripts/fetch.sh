#!/usr/bin/env bash
# Fetches the version directory and the image tests into $WORK_DIR/version and $WORK_DIR/test.
#   S3 mode:    ARTIFACT_BUCKET, ARTIFACT_PREFIX (e.g. [store/]build_artifacts/v4/v4.4/v4.4.1); the tests come
#               from s3://$ARTIFACT_BUCKET/<root>test/ where <root> is what precedes build_artifacts/.
#   Local mode: ARTIFACT_DIR=/path/to/version/dir and optionally TEST_DIR=/path/to/test/dir.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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
  aws s3 sync --only-show-errors "s3://$ARTIFACT_BUCKET/${root}test/" "$IMAGE_TESTS_DIR"
  log "synced s3://$ARTIFACT_BUCKET/${root}test/"
fi

if [[ -n "${DOCKERFILE:-}" && ! -f "$VERSION_DIR/$DOCKERFILE" ]]; then
  die "the version directory has no $DOCKERFILE (files: $(find "$VERSION_DIR" -maxdepth 1 -mindepth 1 -printf "%f "))"
fi
log "version directory: $(find "$VERSION_DIR" -type f | wc -l) file(s); tests: $(find "$IMAGE_TESTS_DIR" -type f | wc -l) file(s)"
