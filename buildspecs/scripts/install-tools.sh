#!/usr/bin/env bash
# Installs the tools the build scripts need and the build host lacks (CodeBuild's Ubuntu standard image has
# docker, aws, jq and python3; skopeo is added). With no Docker engine, buildah (builds) and podman (runs the
# image tests' containers) are installed too. Debian/Ubuntu only.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need=()
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [[ "$(container_engine)" == "buildah" ]]; then
  command -v buildah >/dev/null 2>&1 || need+=(buildah)
  command -v podman >/dev/null 2>&1 || need+=(podman)
fi
if ((${#need[@]} == 0)); then
  log "jq, skopeo, python3 and the $(container_engine) engine are present"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]} and no apt-get to install them"
sudo=()
if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
log "installing ${need[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
