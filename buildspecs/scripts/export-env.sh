#!/usr/bin/env bash
# Runs `micromamba env export --explicit` in the built image, replaces the bytes %21 with ! (the original
# tool's fix) and writes $WORK_DIR/<type>.env.out. Unless the image was rebuilt from an existing env.out
# (ENV_IN_FILENAME is <type>.env.out), the file is also written into the version directory and published
# next to the artifacts (S3 or ARTIFACT_DIR).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env IMAGE_TYPE
require_cmd jq
container_engine >/dev/null
image="$(local_image)"
envout="$IMAGE_TYPE.env.out"
read -r -a export_cmd <<<"${ENV_EXPORT_COMMAND:-micromamba env export --explicit}"

raw="$WORK_DIR/$envout.raw"
# An explicit export starts its list with @EXPLICIT; an empty or cut output (seen once from a container run on a
# loaded machine) is run once more and never written as an env.out.
for attempt in 1 2; do
  engine_run "$image" "${export_cmd[@]}" >"$raw" || die "'${export_cmd[*]}' failed in $image"
  grep -q '^@EXPLICIT' "$raw" && break
  ((attempt == 2)) && die "'${export_cmd[*]}' in $image printed no explicit package list ($(wc -c <"$raw") bytes)"
  log "'${export_cmd[*]}' printed no @EXPLICIT list ($(wc -c <"$raw") bytes): running it again"
done
LC_ALL=C sed 's/%21/!/g' "$raw" >"$WORK_DIR/$envout"
rm -f "$raw"
log "exported $(grep -c '^http' "$WORK_DIR/$envout" || true) package(s) from $image to $WORK_DIR/$envout"

if [[ "$(build_arg ENV_IN_FILENAME)" == "$envout" ]]; then
  log "image was built from the existing $envout: not writing it back"
  exit 0
fi
cp "$WORK_DIR/$envout" "$VERSION_DIR/$envout"
publish_artifact "$VERSION_DIR/$envout"
