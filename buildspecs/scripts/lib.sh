#!/usr/bin/env bash
# Shared helpers for the build scripts: logging, settings, container engine choice, artifact publishing.
# Sourced by every script in this directory; not meant to be run.

# shellcheck disable=SC2034  # variables set here are used by the scripts that source this file

SMD_SCRIPT_NAME="$(basename "${BASH_SOURCE[1]:-$0}" .sh)"

log() { printf '%s [%s] %s\n' "$(date -u +%H:%M:%S)" "$SMD_SCRIPT_NAME" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# require_env NAME...: fail naming every missing variable.
require_env() {
  local missing=() name
  for name in "$@"; do
    if [[ -z "${!name:-}" ]]; then missing+=("$name"); fi
  done
  if ((${#missing[@]} > 0)); then die "missing environment variable(s): ${missing[*]}"; fi
}

require_cmd() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is not installed (see scripts/install-test-tools.sh)"
  done
}

# Milliseconds since the epoch, and "1.234s" since such a value.
now_ms() { local t="${EPOCHREALTIME/./}"; printf '%s' "$((t / 1000))"; }
since() { local ms=$(($(now_ms) - $1)); printf '%d.%03ds' "$((ms / 1000))" "$((ms % 1000))"; }

is_true() { [[ "${1:-}" == "true" || "${1:-}" == "TRUE" || "${1:-}" == "True" || "${1:-}" == "1" ]]; }

# Working directory of a build: version/ (the version directory), test/ (image tests), logs and outputs.
WORK_DIR="${WORK_DIR:-$PWD/work}"
mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
VERSION_DIR="$WORK_DIR/version"
IMAGE_TESTS_DIR="$WORK_DIR/test"

# BUILD_ARGS after build-image.sh applied the env.out rule (see build-image.sh); falls back to BUILD_ARGS.
effective_build_args() {
  if [[ -f "$WORK_DIR/build-args.json" ]]; then
    cat "$WORK_DIR/build-args.json"
  else
    printf '%s' "${BUILD_ARGS:-{\}}"
  fi
}

build_arg() { effective_build_args | jq -r --arg k "$1" '.[$k] // empty | tostring'; }

# The image the build produces: localhost/sagemaker-distribution:<IMAGE_VERSION of BUILD_ARGS>.
local_image() {
  local version
  version="$(build_arg IMAGE_VERSION)"
  [[ -n "$version" ]] || die "BUILD_ARGS has no IMAGE_VERSION"
  printf 'localhost/sagemaker-distribution:%s' "$version"
}

# --- container engine ---------------------------------------------------------------------------
# CONTAINER_ENGINE=docker|buildah forces one; otherwise docker when a Docker engine answers, else buildah.
# buildah: BUILDAH_STORAGE_DRIVER (default vfs, works without overlay support), BUILDAH_ROOT and
# BUILDAH_RUNROOT (optional storage locations), isolation chroot (no user namespaces or runc needed).
# Containers (the image tests' default commands) run with docker for the docker engine, and for buildah with
# podman on buildah's own storage, so podman sees the images buildah built without a copy.
container_engine() {
  if [[ -n "${SMD_ENGINE:-}" ]]; then printf '%s' "$SMD_ENGINE"; return; fi
  case "${CONTAINER_ENGINE:-}" in
    docker | buildah) SMD_ENGINE="$CONTAINER_ENGINE" ;;
    "")
      if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
        SMD_ENGINE=docker
      else
        SMD_ENGINE=buildah
      fi
      ;;
    *) die "CONTAINER_ENGINE must be docker or buildah, got '$CONTAINER_ENGINE'" ;;
  esac
  export SMD_ENGINE
  printf '%s' "$SMD_ENGINE"
}

buildah_cmd() {
  local args=(--storage-driver "${BUILDAH_STORAGE_DRIVER:-vfs}")
  if [[ -n "${BUILDAH_ROOT:-}" ]]; then args+=(--root "$BUILDAH_ROOT"); fi
  if [[ -n "${BUILDAH_RUNROOT:-}" ]]; then args+=(--runroot "$BUILDAH_RUNROOT"); fi
  buildah "${args[@]}" "$@"
}

# podman with buildah's storage settings; its libpod state beside that storage.
podman_cmd() {
  local args=(--storage-driver "${BUILDAH_STORAGE_DRIVER:-vfs}")
  if [[ -n "${BUILDAH_ROOT:-}" ]]; then args+=(--root "$BUILDAH_ROOT"); fi
  if [[ -n "${BUILDAH_RUNROOT:-}" ]]; then args+=(--runroot "$BUILDAH_RUNROOT" --tmpdir "$BUILDAH_RUNROOT/libpod"); fi
  podman "${args[@]}" "$@"
}

# engine_build [--shm-size BYTES] CONTEXT DOCKERFILE TAG PULL(true|false) [BUILD_ARG...]: BUILD_ARG as KEY=VALUE.
engine_build() {
  local args=()
  if [[ "$1" == "--shm-size" ]]; then
    args+=(--shm-size "$2")
    shift 2
  fi
  local context="$1" dockerfile="$2" tag="$3" pull="$4"
  shift 4
  local kv
  for kv in "$@"; do args+=(--build-arg "$kv"); done
  case "$(container_engine)" in
    docker)
      if is_true "$pull"; then args+=(--pull); fi
      docker build --rm "${args[@]}" -f "$context/$dockerfile" -t "$tag" "$context"
      ;;
    buildah)
      if is_true "$pull"; then args+=(--pull); else args+=(--pull=false); fi
      buildah_cmd bud --isolation chroot "${args[@]}" -f "$context/$dockerfile" -t "$tag" "$context"
      ;;
  esac
}

# engine_run IMAGE COMMAND...: run a command in a throwaway container of IMAGE, its stdout on stdout.
engine_run() {
  local image="$1"
  shift
  case "$(container_engine)" in
    docker) docker run --rm --entrypoint "" "$image" "$@" ;;
    buildah)
      local ctr rc=0
      ctr="$(buildah_cmd from --pull=false "$image")"
      buildah_cmd run --isolation chroot "$ctr" -- "$@" || rc=$?
      buildah_cmd rm "$ctr" >/dev/null
      return "$rc"
      ;;
  esac
}

engine_rmi() {
  case "$(container_engine)" in
    docker) docker rmi "$1" >/dev/null ;;
    buildah) buildah_cmd rmi "$1" >/dev/null ;;
  esac
}

# engine_image_id IMAGE: sha256:<id> of a local image.
engine_image_id() {
  case "$(container_engine)" in
    docker) docker image inspect --format '{{.Id}}' "$1" ;;
    buildah)
      local id
      id="$(buildah_cmd inspect --type image --format '{{.FromImageID}}' "$1")" || return
      printf 'sha256:%s\n' "$id"
      ;;
  esac
}

# The container runner of the engine (see above): docker, or podman for buildah.
container_runner() {
  case "$(container_engine)" in
    docker) printf docker ;;
    buildah) printf podman ;;
  esac
}

# container_start IMAGE GPUS(all|none): runs the image's default command detached, prints the container id.
# podman shares the host network (as buildah's builds do), so it needs no network backend; its k8s-file log
# driver keeps `logs` working without journald. GPUs: docker --gpus, podman through CDI (nvidia-ctk cdi generate).
container_start() {
  local image="$1" gpus="$2" args=()
  case "$(container_runner)" in
    docker)
      if [[ "$gpus" == "all" ]]; then args+=(--gpus all); fi
      docker run -d "${args[@]}" "$image"
      ;;
    podman)
      if [[ "$gpus" == "all" ]]; then args+=(--device nvidia.com/gpu=all); fi
      podman_cmd run -d --network host --log-driver k8s-file "${args[@]}" "$image"
      ;;
  esac
}

# container_wait ID: waits for the container to exit, prints its exit code.
container_wait() {
  case "$(container_runner)" in
    docker) docker wait "$1" ;;
    podman) podman_cmd wait "$1" ;;
  esac
}

# container_logs ID: the container's stdout and stderr so far.
container_logs() {
  case "$(container_runner)" in
    docker) docker logs "$1" 2>&1 ;;
    podman) podman_cmd logs "$1" 2>&1 ;;
  esac
}

# container_remove ID: kills (no stop grace period) and removes the container.
container_remove() {
  case "$(container_runner)" in
    docker) docker rm -f "$1" >/dev/null ;;
    podman) podman_cmd rm -f -t 0 "$1" >/dev/null ;;
  esac
}

# engine_push IMAGE REPO:TAG DIGEST_FILE TLS_VERIFY(true|false): push IMAGE once (layers compressed on the way),
# the manifest digest written to DIGEST_FILE. push.sh retries the whole push; buildah 1.28 also retries 3 times
# after 2 s by itself (its --retry 0 is not honoured), skopeo does not (--retry-times 0).
engine_push() {
  local image="$1" dest="$2" digest_file="$3" tls="$4"
  case "$(container_engine)" in
    docker) skopeo copy --retry-times 0 --dest-tls-verify="$tls" --digestfile "$digest_file" "docker-daemon:$image" "docker://$dest" ;;
    buildah) buildah_cmd push --tls-verify="$tls" --digestfile "$digest_file" "$image" "docker://$dest" ;;
  esac
}

# --- artifacts ----------------------------------------------------------------------------------
# Local mode (ARTIFACT_DIR set): the version directory is a local directory and outputs are copied back
# into it. S3 mode: s3://$ARTIFACT_BUCKET/$ARTIFACT_PREFIX/ (the aws CLI honours AWS_ENDPOINT_URL).
local_mode() { [[ -n "${ARTIFACT_DIR:-}" ]]; }

# publish_artifact FILE: hand FILE (env.out, test report, candidate record) to the pipeline under its own name.
# Locally it goes next to the version's artifacts. In a bucket the build writes only under its run's
# RESULTS_PREFIX (incoming/<run>/<type>, below the store's root): the gates step checks it and moves it into the
# version, so a build cannot write another version's files (docs/contract.md).
publish_artifact() {
  local file="$1" name root
  name="$(basename "$file")"
  if local_mode; then
    cp "$file" "$ARTIFACT_DIR/$name"
    log "wrote $ARTIFACT_DIR/$name"
  else
    require_env ARTIFACT_BUCKET ARTIFACT_PREFIX RESULTS_PREFIX
    root="${ARTIFACT_PREFIX%%build_artifacts/*}"
    aws s3 cp --only-show-errors "$file" "s3://$ARTIFACT_BUCKET/$root${RESULTS_PREFIX%/}/$name"
    log "uploaded s3://$ARTIFACT_BUCKET/$root${RESULTS_PREFIX%/}/$name"
  fi
}
