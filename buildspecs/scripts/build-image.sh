#!/usr/bin/env bash
# Builds localhost/sagemaker-distribution:<IMAGE_VERSION> from $WORK_DIR/version with DOCKERFILE and one
# --build-arg per key of BUILD_ARGS (JSON object).
# Which env file the image is solved from is the plan's decision (BuildPlanner, docs/design.md "CodeBuild
# contract"): ENV_IN_FILENAME=<type>.env.out for a reproducible rebuild, <type>.env.in for a fresh solve. The script
# follows it and decides nothing itself. The build args used are kept in $WORK_DIR/build-args.json for the next steps.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env IMAGE_TYPE BUILD_ARGS DOCKERFILE
require_cmd jq
dockerfile="${DOCKERFILE:?}"
[[ -d "$VERSION_DIR" ]] || die "no version directory at $VERSION_DIR: run fetch.sh first"
jq -e 'type == "object"' >/dev/null <<<"$BUILD_ARGS" || die "BUILD_ARGS is not a JSON object: $BUILD_ARGS"

args_json="$BUILD_ARGS"
env_file="$(jq -r '.ENV_IN_FILENAME // empty' <<<"$args_json")"
[[ -n "$env_file" ]] || die "BUILD_ARGS has no ENV_IN_FILENAME: the plan names the env file to solve from"
if [[ "$env_file" == "$IMAGE_TYPE.env.out" ]]; then
  log "reproducible rebuild from $env_file"
else
  log "fresh solve from $env_file"
fi
printf '%s\n' "$args_json" >"$WORK_DIR/build-args.json"

container_engine >/dev/null
image="$(local_image)"
mapfile -d '' kvs < <(jq -j 'to_entries[] | "\(.key)=\(.value | tostring)\u0000"' <<<"$args_json")
log "building $image with $(container_engine) from $dockerfile (build args: $(jq -c 'keys' <<<"$args_json"))"
engine_build "$VERSION_DIR" "$dockerfile" "$image" "${BUILD_PULL:-true}" "${kvs[@]}"
log "built $image"
