#!/usr/bin/env bash
# Installs the tools the build scripts need and the build host lacks (CodeBuild's Ubuntu standard image has
# docker, aws and jq; skopeo is added). With no Docker engine, buildah is installed too. Debian/Ubuntu only.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need=()
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
if [[ "$(container_engine)" == "buildah" ]] && ! command -v buildah >/dev/null 2>&1; then need+=(buildah); fi
if ((${#need[@]} == 0)); then
  log "jq, skopeo and the $(container_engine) engine are present"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]} and no apt-get to install them"
sudo=()
if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
log "installing ${need[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
