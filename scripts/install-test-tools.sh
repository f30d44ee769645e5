#!/usr/bin/env bash
# Installs the tools the integration tests need (Debian/Ubuntu, run as root or with sudo).
# Idempotent: packages already present are not reinstalled. Other areas add their own block below.
set -euo pipefail

SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi

apt_install() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    echo "install-test-tools: already installed: $*"
    return 0
  fi
  echo "install-test-tools: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- BEGIN buildspecs (build scripts and their integration tests) ---
# buildah builds/pushes without a Docker engine, docker-registry serves local registries for the push tests,
# skopeo copies and inspects images, busybox-static fills the stand-in image, jq parses BUILD_ARGS,
# and shellcheck to lint buildspecs/scripts; uidmap for rootless buildah, time measures the push benchmark.
apt_install buildah docker-registry skopeo busybox-static jq shellcheck uidmap time bc curl python3 python3-venv
# MiniStack (the AWS emulator) is installed by the tests themselves into <repo>/.venv (testsupport/MiniStack).
command -v aws >/dev/null 2>&1 || apt_install awscli
# --- END buildspecs ---
