#!/usr/bin/env bash
# Builds localhost/sagemaker-distribution:<IMAGE_VERSION> from $WORK_DIR/version with DOCKERFILE and one
# --build-arg per key of BUILD_ARGS (JSON object).
# The env.out rule (docs/design.md "CodeBuild contract"): when <IMAGE_TYPE>.env.out already exists in the version
# directory and FORCE is not true, the image is rebuilt from it: ENV_IN_FILENAME=<type>.env.out and no
# ARG_BASED_ENV_IN_FILENAME. The build args used are kept in $WORK_DIR/build-args.json for the next steps.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env IMAGE_TYPE BUILD_ARGS DOCKERFILE
require_cmd jq
dockerfile="${DOCKERFILE:?}"
[[ -d "$VERSION_DIR" ]] || die "no version directory at $VERSION_DIR: run fetch.sh first"
jq -e 'type == "object"' >/dev/null <<<"$BUILD_ARGS" || die "BUILD_ARGS is not a JSON object: $BUILD_ARGS"

envout="$IMAGE_TYPE.env.out"
args_json="$BUILD_ARGS"
if [[ -f "$VERSION_DIR/$envout" ]] && ! is_true "${FORCE:-false}"; then
  log "$envout exists and FORCE is not true: reproducible rebuild from $envout"
  args_json="$(jq -c --arg f "$envout" '.ENV_IN_FILENAME = $f | del(.ARG_BASED_ENV_IN_FILENAME)' <<<"$BUILD_ARGS")"
fi
printf '%s\n' "$args_json" >"$WORK_DIR/build-args.json"

container_engine >/dev/null
image="$(local_image)"
mapfile -d '' kvs < <(jq -j 'to_entries[] | "\(.key)=\(.value | tostring)\u0000"' <<<"$args_json")
log "building $image with $(container_engine) from $dockerfile (build args: $(jq -c 'keys' <<<"$args_json"))"
engine_build "$VERSION_DIR" "$dockerfile" "$image" "${BUILD_PULL:-true}" "${kvs[@]}"
log "built $image"
