#!/usr/bin/env bash
# Candidate push benchmark: builds a ~SIZE_MB image (busybox + shared libraries of the host, which compress about
# like a conda environment's binaries) with buildah, then pushes it to a fresh docker-registry on 127.0.0.1 with
# buildspecs/scripts/push.sh (the candidate push: login check, push, read-back, candidate-<type>.json) and, for
# comparison, with one plain `buildah push` of the same image. Goal: push.sh costs at most 1.1x the plain push's CPU.
# Reports wall time and CPU seconds (user+sys of the push and its children, from /usr/bin/time; the registry's own
# CPU is not counted but shares the machine). The cases alternate, RUNS rounds (a fresh registry each time); the
# median is reported. REGISTRY_CPU_S is the CPU the registry itself used (from /proc).
# Usage: push-bench.sh   (env: SIZE_MB=50, RUNS=5, KEEP=false)
# Needs: buildah, skopeo, docker-registry, jq, curl, /usr/bin/time, busybox (scripts/install-test-tools.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scripts="$here/../scripts"
SIZE_MB="${SIZE_MB:-50}"
RUNS="${RUNS:-5}"
bench="$(mktemp -d /tmp/push-bench.XXXXXX)"
registry_pids=()
registry_host=""

say() { printf '%s [push-bench] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
cleanup() {
  local pid
  for pid in "${registry_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${registry_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP:-false}" != "true" ]]; then rm -rf "$bench"; else say "kept $bench"; fi
}
trap cleanup EXIT

for cmd in buildah skopeo docker-registry jq curl busybox; do
  command -v "$cmd" >/dev/null 2>&1 || { say "missing $cmd (scripts/install-test-tools.sh)"; exit 1; }
done
[[ -x /usr/bin/time ]] || { say "missing /usr/bin/time (apt-get install time)"; exit 1; }

# start_registry: a fresh registry on a free 127.0.0.1 port, its host:port in $registry_host (not a
# subshell, so that its pid is remembered). Fails after 20 s without /v2/.
start_registry() {
  local port dir i
  for ((i = 0; i < 50; i++)); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  done
  dir="$(mktemp -d "$bench/registry.XXXXXX")"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$dir" "$port" >"$dir/config.yml"
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  registry_pids+=("$!")
  for ((i = 0; i < 200; i++)); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/v2/"; then
      registry_host="127.0.0.1:$port"
      return 0
    fi
    sleep 0.1
  done
  say "registry on port $port did not answer /v2/ within 20 s:"
  cat "$dir/log" >&2
  exit 1
}

stop_registries() {
  local pid
  for pid in "${registry_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${registry_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  registry_pids=()
}

# --- the image -----------------------------------------------------------------------------------------
version="$bench/version"
mkdir -p "$version/payload"
cp "$(command -v busybox)" "$version/busybox"
total=0
while IFS= read -r -d '' file; do
  size="$(stat -c %s "$file")"
  cp "$file" "$version/payload/$(basename "$file")"
  total=$((total + size))
  if ((total >= SIZE_MB * 1024 * 1024)); then break; fi
done < <(find /usr/lib/x86_64-linux-gnu /usr/lib /usr/bin -maxdepth 1 -type f -size +100k -print0 2>/dev/null)
cat >"$version/Dockerfile" <<'DOCKERFILE'
FROM scratch
ARG IMAGE_VERSION
COPY busybox /bin/busybox
COPY payload /payload
DOCKERFILE

export CONTAINER_ENGINE=buildah BUILDAH_ROOT="$bench/storage/root" BUILDAH_RUNROOT="$bench/storage/run"
export WORK_DIR="$bench/work" ARTIFACT_DIR="$version" IMAGE_TYPE=cpu CANDIDATE_TAG=candidate-bench-cpu
export DOCKERFILE=Dockerfile BUILD_ARGS='{"IMAGE_VERSION":"bench-cpu","ENV_IN_FILENAME":"cpu.env.in"}' BUILD_PULL=false
"$scripts/fetch.sh" 2>/dev/null
"$scripts/build-image.sh" >"$bench/build.log" 2>&1 || { cat "$bench/build.log" >&2; exit 1; }
image="localhost/sagemaker-distribution:bench-cpu"
say "built $image: $((total / 1024 / 1024)) MiB of payload in $(find "$version/payload" -type f | wc -l) files"

# --- the runs ------------------------------------------------------------------------------------------
results=()
registries_cpu() { # CPU seconds used so far by the running registries
  local pid ticks=0 fields
  for pid in "${registry_pids[@]}"; do
    read -r -a fields <"/proc/$pid/stat"
    ticks=$((ticks + fields[13] + fields[14]))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
declare -A walls=() cpus=() regs=()
measure() { # measure LABEL N COMMAND...: one run of COMMAND with REPOS set to N fresh repositories
  local label="$1" n="$2" repos=() i wall user sys
  shift 2
  for ((i = 0; i < n; i++)); do
    start_registry
    repos+=("$registry_host/bench/sagemaker-distribution")
  done
  REPOS="${repos[*]}"
  export REPOS
  /usr/bin/time -f '%e %U %S' -o "$bench/time" "$@" >"$bench/run.log" 2>&1 || {
    cat "$bench/run.log" >&2
    say "$label to $n failed"
    exit 1
  }
  regs["$label $n"]+=" $(registries_cpu)"
  stop_registries
  read -r wall user sys <"$bench/time"
  walls["$label $n"]+=" $wall"
  cpus["$label $n"]+=" $(echo "$user + $sys" | bc)"
}

push_script() { STAGING_REPO="$REPOS" "$scripts/push.sh"; }
plain_buildah() { # what a build without push.sh would do: one push, nothing else
  buildah --storage-driver vfs --root "$BUILDAH_ROOT" --runroot "$BUILDAH_RUNROOT" push --tls-verify=false \
    "$image" "docker://$REPOS:$CANDIDATE_TAG"
}
export -f push_script plain_buildah
export scripts image

# The cases alternate within each round, so that a change of the machine's load hits all of them alike.
cases=("buildah-push 1 plain_buildah" "push.sh 1 push_script")
for ((run = 1; run <= RUNS; run++)); do
  for case in "${cases[@]}"; do
    read -r label n fn <<<"$case"
    measure "$label" "$n" bash -c "$fn"
  done
  say "round $run of $RUNS done"
done
for case in "${cases[@]}"; do
  read -r label n fn <<<"$case"
  say "$label to $n: wall${walls["$label $n"]} s; cpu${cpus["$label $n"]} s; registries${regs["$label $n"]} s"
  results+=("$label $n $(median <<<"${walls["$label $n"]}") $(median <<<"${cpus["$label $n"]}") $(median <<<"${regs["$label $n"]}")")
done

printf '\nmedian of %s runs, %s MiB payload, %s cores; ratios against the plain buildah push\n' "$RUNS" \
  "$((total / 1024 / 1024))" "$(nproc)"
printf '%-14s %5s %8s %8s %14s %10s %10s\n' MODE REPOS WALL_S CPU_S REGISTRY_CPU_S WALL_RATIO CPU_RATIO
base_wall="" base_cpu=""
for row in "${results[@]}"; do
  read -r label n wall cpu reg <<<"$row"
  if [[ -z "$base_wall" ]]; then base_wall="$wall" base_cpu="$cpu"; fi
  printf '%-14s %5s %8s %8s %14s %10s %10s\n' "$label" "$n" "$wall" "$cpu" "$reg" \
    "$(echo "scale=2; $wall / $base_wall" | bc)" "$(echo "scale=2; $cpu / $base_cpu" | bc)"
done
