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
# podman runs the image tests' containers on buildah's storage (runc as its OCI runtime).
apt_install podman runc
# Without a containers.conf, podman (4.3, rootful) asks runc for limits above the host's hard ones and on hosts
# whose root lacks CAP_SYS_RESOURCE (containers, VMs of CI) every run fails with "error setting rlimit". This
# one keeps them at the host's limits (processes also at most kernel.pid_max: runc got no more on the CI machine);
# cgroupfs and a file event log: no systemd or journald needed. An existing containers.conf is left alone.
if [[ ! -e /etc/containers/containers.conf ]]; then
  nofile="$(ulimit -Hn)"
  nproc="$(ulimit -Hu)"
  pid_max="$(cat /proc/sys/kernel/pid_max)"
  if [[ "$nofile" == "unlimited" || "$nofile" -gt 1048576 ]]; then nofile=1048576; fi
  if [[ "$nproc" == "unlimited" || "$nproc" -gt "$pid_max" ]]; then nproc="$pid_max"; fi
  echo "install-test-tools: writing /etc/containers/containers.conf (nofile $nofile, nproc $nproc)"
  $SUDO mkdir -p /etc/containers
  printf '%s\n' "# Written by smd-release scripts/install-test-tools.sh" "[containers]" \
    "default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]" "[engine]" 'runtime = "runc"' \
    'cgroup_manager = "cgroupfs"' 'events_logger = "file"' | $SUDO tee /etc/containers/containers.conf >/dev/null
fi
# --- END buildspecs ---
