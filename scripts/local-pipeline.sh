#!/usr/bin/env bash
# The release pipeline on this machine, without an AWS account (README "The local pipeline"):
#   scripts/local-pipeline.sh up       start it: the MiniStack emulator (the pinned version the tests use, from
#                                      .venv), a signing profile with a test certificate (smd-release
#                                      signing-setup), the stack deployed to it with the pinned CDK CLI, the handlers
#                                      served from functions/target/smd-release.jar, the CodeBuild task pointed at
#                                      the build scripts on this machine, the bucket seeded from examples/; prints
#                                      what to run next
#   scripts/local-pipeline.sh status   whether it is up, and where
#   scripts/local-pipeline.sh down     stop everything up started and delete its directory (idempotent)
# Everything listens on 127.0.0.1 only. State, logs and image storage live in $SMD_LOCAL_PIPELINE_DIR (default
# <repo>/.local-pipeline), and nowhere else.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${SMD_LOCAL_PIPELINE_DIR:-$repo/.local-pipeline}"
prefix=smd-release
region=us-east-1
account=000000000000
# the stack's functions, and the stand-in for its CodeBuild projects (io.smdrelease.lambda.local.LocalCodeBuild)
functions=(generate gates approval promote finalize failure nightly-plan local-build)
base_image=localhost/smd-release-local/micromamba

say() { printf 'local-pipeline: %s\n' "$*"; }
die() {
  printf 'local-pipeline: %s\n' "$*" >&2
  exit 1
}

# --- processes: each one started in its own session, so that down ends it with its children ---------------------

# start NAME COMMAND...: runs COMMAND in the background, output in logs/NAME.log; records NAME, pid and start time.
start() {
  local name="$1"
  shift
  setsid "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  local pid=$!
  printf '%s %s %s\n' "$name" "$pid" "$(start_time "$pid")" >>"$state/pids"
}

start_time() { cut -d' ' -f22 "/proc/$1/stat" 2>/dev/null || true; }

# alive NAME PID START: the recorded process still runs (the same one: its start time matches)
alive() { [[ -n "$3" && "$(start_time "$2")" == "$3" ]]; }

# stop_processes: TERM to each recorded process group, newest first, then KILL to what is left after 10 s.
stop_processes() {
  [[ -f "$state/pids" ]] || return 0
  local name pid started left
  while read -r name pid started; do
    if alive "$name" "$pid" "$started"; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      say "stopped $name (pid $pid)"
    fi
  done < <(tac "$state/pids")
  for _ in $(seq 100); do
    left=0
    while read -r name pid started; do
      if kill -0 -- "-$pid" 2>/dev/null; then left=1; fi
    done <"$state/pids"
    ((left == 0)) && break
    sleep 0.1
  done
  while read -r name pid started; do
    kill -KILL -- "-$pid" 2>/dev/null || true
  done <"$state/pids"
  rm -f "$state/pids"
}

is_up() {
  [[ -f "$state/pids" && -f "$state/env" ]] || return 1
  local name pid started
  while read -r name pid started; do
    alive "$name" "$pid" "$started" || return 1
  done <"$state/pids"
}

# wait_until WHAT SECONDS LOG COMMAND...: polls COMMAND every 0.2 s; fails naming WHAT with the log's tail.
wait_until() {
  local what="$1" seconds="$2" log="$3"
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      tail -n 30 "$log" >&2 || true
      die "$what did not come up within $seconds s (log: $log)"
    fi
    sleep 0.2
  done
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- container storage of the builds: the pipeline's own, under $state ----------------------------------------------

# podman refuses a runroot longer than 50 characters: it gets a short directory of its own, named in $state/runroot.
make_runroot() { mktemp -d /tmp/smd-local-pipeline.XXXXXX >"$state/runroot"; }

runroot() { cat "$state/runroot"; }

storage_flags() {
  printf '%s\n' --storage-driver vfs --root "$state/containers/root" --runroot "$(runroot)"
}

remove_containers() {
  [[ -f "$state/runroot" ]] || return 0
  local flags
  mapfile -t flags < <(storage_flags)
  if command -v podman >/dev/null 2>&1; then
    podman "${flags[@]}" --tmpdir "$(runroot)/libpod" rm -af -t 0 >/dev/null 2>&1 || true
  fi
  if command -v buildah >/dev/null 2>&1; then buildah "${flags[@]}" rm --all >/dev/null 2>&1 || true; fi
  rm -rf "$(runroot)"
}

# --- up ------------------------------------------------------------------------------------------------------------

check_tools() {
  local missing=() tool
  for tool in node npm python3 aws buildah podman skopeo jq setsid curl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  ((${#missing[@]} == 0)) || die "missing ${missing[*]}: install them with sudo scripts/install-test-tools.sh"
  if [[ ! -x /bin/busybox ]] || ldd /bin/busybox >/dev/null 2>&1; then
    die "the stand-in images need a static /bin/busybox: sudo apt-get install busybox-static"
  fi
}

# The jar and the CDK app's classes as the checkout builds them (the jar is built when missing, as cdk/synth.sh does).
build_parts() {
  jar="$repo/functions/target/smd-release.jar"
  if [[ ! -f "$jar" || ! -d "$repo/cdk/target/classes/io/smdrelease/cdk" ]]; then
    say "building the jar and the CDK app (mvn package -DskipTests)"
    (cd "$repo" && mvn -B -q -DskipTests -pl functions,cdk package) >"$state/logs/build.log" 2>&1 ||
      die "the build failed: see $state/logs/build.log"
  fi
  if [[ -n "$(find "$repo/functions/src/main" "$repo/cdk/src/main" -newer "$jar" -print -quit)" ]]; then
    say "WARNING: $jar is older than the sources: rebuild it (mvn -B -q package -DskipTests) to serve them"
  fi
  (cd "$repo" && mvn -B -q -pl cdk dependency:build-classpath -Dmdep.outputFile="$state/cdk.classpath") \
    >"$state/logs/classpath.log" 2>&1 || die "cannot resolve the CDK app's classpath: see $state/logs/classpath.log"
  if [[ ! -x "$repo/cdk/node_modules/.bin/cdk" ]]; then
    (cd "$repo/cdk" && npm ci --no-audit --no-fund) >"$state/logs/npm.log" 2>&1 ||
      die "npm ci of the pinned CDK CLI failed: see $state/logs/npm.log"
  fi
}

# MiniStack at the version the tests pin (functions/src/test/java/io/smdrelease/testsupport/MiniStack.java), in .venv,
# with the cryptography it signs with (its Signer signs with the key ACM holds only when it can import it).
install_ministack() {
  local pins="$repo/functions/src/test/java/io/smdrelease/testsupport/MiniStack.java" crypto_version
  ministack_version="$(sed -n 's/.*String VERSION = "\([0-9.]*\)".*/\1/p' "$pins")"
  crypto_version="$(sed -n 's/.*String CRYPTOGRAPHY_VERSION = "\([0-9.]*\)".*/\1/p' "$pins")"
  [[ -n "$ministack_version" && -n "$crypto_version" ]] ||
    die "cannot read the pinned MiniStack and cryptography versions from testsupport/MiniStack.java"
  local python="$repo/.venv/bin/python" installed
  installed="$("$python" -c 'import importlib.metadata as m; print(m.version("ministack"), m.version("cryptography"))' \
    2>/dev/null || true)"
  if [[ "$installed" != "$ministack_version $crypto_version" ]]; then
    say "installing ministack==$ministack_version cryptography==$crypto_version into $repo/.venv"
    [[ -x "$python" ]] || python3 -m venv "$repo/.venv"
    "$python" -m pip install --disable-pip-version-check --quiet "ministack==$ministack_version" \
      "cryptography==$crypto_version" >"$state/logs/pip.log" 2>&1 || die "pip install failed: see $state/logs/pip.log"
  fi
}

start_ministack() {
  local env=(BIND_HOST=127.0.0.1 "GATEWAY_PORT=$emulator_port" "TMPDIR=$state/ministack" S3_PERSIST=0 PERSIST_STATE=0
    "STATE_DIR=$state/ministack/state" "S3_DATA_DIR=$state/ministack/s3" "MINISTACK_REGION=$region"
    PYTHONUNBUFFERED=1)
  local f
  for f in "${functions[@]}"; do
    env+=("MINISTACK_LAMBDA_PROXY_$prefix-$f=http://127.0.0.1:$handler_port/$prefix-$f")
  done
  mkdir -p "$state/ministack"
  start ministack env "${env[@]}" "$repo/.venv/bin/python" -m ministack
  wait_until "MiniStack" 60 "$state/logs/ministack.log" curl -fsS "$AWS_ENDPOINT_URL/_ministack/health"
}

# The operator's one-time step before a deployment (README "Signing"): a test CA and a P-256 code-signing certificate
# (in $state/signing, never in the repository) imported into the emulator's ACM, the Signer profile on it.
setup_signing() {
  "$repo/scripts/test-signing-certificate.sh" "$state/signing" >"$state/logs/signing.log" 2>&1 ||
    die "the signing certificate was not made: see $state/logs/signing.log"
  "$repo/bin/smd-release" signing-setup --profile-name smd_release_local --certificate "$state/signing/signer.pem" \
    --private-key "$state/signing/signer.key.pem" --certificate-chain "$state/signing/ca.pem" \
    >"$state/signing/profile.json" 2>>"$state/logs/signing.log" ||
    die "smd-release signing-setup failed: see $state/logs/signing.log"
  signing_profile="$(jq -r .profileName "$state/signing/profile.json")"
  signing_certificate="$(jq -r .certificateArn "$state/signing/profile.json")"
}

deploy_stack() {
  local cdk="$repo/cdk/node_modules/.bin/cdk" app
  app="$JAVA_HOME/bin/java -cp $repo/cdk/target/classes:$(<"$state/cdk.classpath") io.smdrelease.cdk.ReleasePipelineApp"
  (
    cd "$repo/cdk"
    export CDK_DEFAULT_ACCOUNT="$account" CDK_DEFAULT_REGION="$region" CDK_DISABLE_CLI_TELEMETRY=true
    # both synthesize the app; the emulator's CloudFormation has no AWS::ECR::RegistryScanningConfiguration
    local context=(-c enhancedScanning=false -c "signingProfile=$signing_profile"
      -c "signingCertificateArn=$signing_certificate")
    "$cdk" bootstrap "aws://$account/$region" --app "$app" "${context[@]}" --output "$state/cdk.out/bootstrap" \
      --no-notices &&
      "$cdk" deploy --app "$app" "${context[@]}" --output "$state/cdk.out/assembly" --require-approval never \
        --outputs-file "$state/outputs.json" --no-notices
  ) >"$state/logs/deploy.log" 2>&1 || {
    tail -n 30 "$state/logs/deploy.log" >&2
    die "cdk deploy to the emulator failed (log: $state/logs/deploy.log)"
  }
  bucket="$(jq -r '.[].ArtifactBucketName' "$state/outputs.json")"
  release_machine="$(jq -r '.[].StateMachineArn' "$state/outputs.json")"
  nightly_machine="$(jq -r '.[].NightlyStateMachineArn' "$state/outputs.json")"
}

# The emulator runs no CodeBuild: a function served by LocalCodeBuild takes the Build candidate task's place. It gets
# the task's parameters (ProjectName, EnvironmentVariablesOverride) and answers as startBuild.sync does.
replace_codebuild() {
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("README", "served by LocalCodeBuild")' \
    "$state/local-build.zip"
  aws lambda create-function --function-name "$prefix-local-build" --runtime java21 \
    --handler io.smdrelease.lambda.local.LocalCodeBuild --role "arn:aws:iam::$account:role/$prefix-local-build" \
    --timeout 900 --zip-file "fileb://$state/local-build.zip" >/dev/null
  aws stepfunctions describe-state-machine --state-machine-arn "$release_machine" --query definition --output text \
    >"$state/release.asl.json"
  local task='.States["Build candidates"].ItemProcessor.States["Build candidate"]'
  [[ "$(jq -r "$task.Resource" "$state/release.asl.json")" == "arn:aws:states:::codebuild:startBuild.sync" ]] ||
    die "the deployed release definition has no CodeBuild task at Build candidates > Build candidate"
  jq "$task.Resource = \"arn:aws:lambda:$region:$account:function:$prefix-local-build\"" \
    "$state/release.asl.json" >"$state/release-local.asl.json"
  aws stepfunctions update-state-machine --state-machine-arn "$release_machine" \
    --definition "file://$state/release-local.asl.json" >/dev/null
}

build_base_image() {
  local context="$state/base-image" flags tag
  mapfile -t flags < <(storage_flags)
  cp -a "$repo/examples/local-pipeline/base-image" "$context"
  cp /bin/busybox "$context/busybox"
  buildah "${flags[@]}" bud --isolation chroot --pull=false -f "$context/Containerfile" -t "$base_image:stand-in" \
    "$context" >"$state/logs/base-image.log" 2>&1 || die "the stand-in base image did not build: $state/logs/base-image.log"
  # tagged as each base the sample's image configurations name (TAG_FOR_BASE_MICROMAMBA_IMAGE of major 1)
  for tag in $(jq -r '."1"[].buildArgs.TAG_FOR_BASE_MICROMAMBA_IMAGE' \
    "$repo/functions/src/main/resources/io/smdrelease/artifacts/image-configs.json"); do
    buildah "${flags[@]}" tag "$base_image:stand-in" "$base_image:$tag"
  done
}

start_handlers() {
  aws lambda list-functions --output json >"$state/functions.json"
  echo '{"auths": {}}' >"$state/registry-auth.json" # the builds' registry logins, apart from this user's own
  start handlers env CONTAINER_ENGINE=buildah BUILDAH_STORAGE_DRIVER=vfs "BUILDAH_ROOT=$state/containers/root" \
    "BUILDAH_RUNROOT=$(runroot)" BUILD_PULL=false "REGISTRY_AUTH_FILE=$state/registry-auth.json" \
    "ECR_REGISTRY_HOSTS=127.0.0.1:$emulator_port=$region" \
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$jar" io.smdrelease.lambda.local.LocalPipelineServer \
    "$handler_port" "$state/functions.json" "$prefix" "$repo/buildspecs/scripts" "$state"
  wait_until "the handler server" 60 "$state/logs/handlers.log" grep -q '^ready on ' "$state/logs/handlers.log"
}

# As push-tree seeds a bucket: the sample distribution with the local pipeline's stand-ins laid over it; the
# checkout's built versions (1.2.0) are recorded as released.
seed_bucket() {
  cp -a "$repo/examples/sample-distribution" "$state/seed"
  cp -a "$repo/examples/local-pipeline/distribution/." "$state/seed/"
  "$repo/bin/smd-release" push-tree --root "$state/seed" --to "s3://$bucket" >"$state/logs/seed.log" 2>&1 ||
    die "push-tree failed: see $state/logs/seed.log"
}

write_env() {
  # the stack's release repositories (those the nightly pushes to), at the emulator's registry endpoint
  release_repos=()
  local uri
  for uri in $(jq -r --arg f "$prefix-nightly-plan" \
    '.Functions[] | select(.FunctionName == $f) | .Environment.Variables.NIGHTLY_TARGET_ECR_REPOS' "$state/functions.json"); do
    release_repos+=("127.0.0.1:$emulator_port/${uri#*/}")
  done
  ((${#release_repos[@]} > 0)) || die "the stack has no release repository (cdk.json: createEcrRepositories)"
  {
    echo "# scripts/local-pipeline.sh up: the AWS settings of the local pipeline (source it in the shell that runs it)"
    echo "export AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test"
    echo "export AWS_REGION=$region AWS_DEFAULT_REGION=$region"
    echo "export SMD_STORE=s3://$bucket SMD_REPO=${release_repos[0]}"
    echo "export SMD_NIGHTLY_ARN=$nightly_machine"
  } >"$state/env"
}

print_next() {
  # shellcheck source=/dev/null
  source "$state/env"
  cat <<EOF
Everything listens on 127.0.0.1 (state, logs and image storage in $state):
  emulator        MiniStack at $AWS_ENDPOINT_URL: S3, ECR, Step Functions, Lambda, SNS, Scheduler, Logs, Signer, ACM
  handlers        the stack's functions from functions/target/smd-release.jar at http://127.0.0.1:$(port_of handlers)
  bucket          $SMD_STORE (examples/sample-distribution; 1.2.0 recorded as released)
  signing         Signer profile smd_release_local, its certificate issued by $state/signing/ca.pem
  staging repo    127.0.0.1:${AWS_ENDPOINT_URL##*:}/$prefix-staging
  release repo    $SMD_REPO
  CodeBuild       NOT emulated: MiniStack cannot run CodeBuild. Each "Build candidate" runs buildspecs/scripts on
                  this machine (buildah, podman) against the emulator's bucket and staging repository, with the
                  stand-ins of examples/local-pipeline; a build's log: $state/logs/<candidate tag>.log

Next, in a shell:
  source $state/env
  bin/smd-release release start --release-type patch --base-patch-version latest --target-ecr-repo "\$SMD_REPO" --store "\$SMD_STORE"
  bin/smd-release release watch --latest
  bin/smd-release release list --store "\$SMD_STORE"
The nightly (candidates only): schedule the next versions of a release, then run it now
  bin/smd-release nightly add-next-versions --version 1.2.1 --store "\$SMD_STORE"
  aws stepfunctions start-execution --state-machine-arn "\$SMD_NIGHTLY_ARN" --input '{}'
Stop everything: scripts/local-pipeline.sh down
EOF
}

port_of() { sed -n 's/^ready on //p' "$state/logs/$1.log" 2>/dev/null | head -n 1; }

up() {
  if is_up; then
    say "already up"
    print_next
    return 0
  fi
  [[ ! -e "$state" ]] || down >/dev/null
  check_tools
  # shellcheck source=scripts/java-home.sh
  source "$repo/scripts/java-home.sh"
  mkdir -p "$state/logs" "$state/containers"
  make_runroot
  local began=$SECONDS
  trap 'failed_up' EXIT
  build_parts
  install_ministack
  emulator_port="$(free_port)"
  handler_port="$(free_port)"
  export AWS_ENDPOINT_URL="http://127.0.0.1:$emulator_port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_PAGER=""
  say "starting MiniStack $ministack_version on 127.0.0.1:$emulator_port"
  start_ministack
  say "making the signing profile (smd-release signing-setup) with a test certificate in $state/signing"
  setup_signing
  say "deploying the stack with the pinned CDK CLI"
  deploy_stack
  replace_codebuild
  build_base_image
  say "serving the handlers from $jar on 127.0.0.1:$handler_port"
  start_handlers
  seed_bucket
  write_env
  trap - EXIT
  say "up in $((SECONDS - began)) s"
  print_next
}

failed_up() {
  local code=$?
  stop_processes
  remove_containers
  printf 'local-pipeline: up failed; everything it started is stopped, its logs are in %s/logs (down deletes them)\n' \
    "$state" >&2
  exit "$code"
}

# --- status, down ----------------------------------------------------------------------------------------------

status() {
  if is_up; then
    say "up"
    print_next
  elif [[ -e "$state" ]]; then
    say "not up, but $state is left (run scripts/local-pipeline.sh down)"
    return 3
  else
    say "not up"
    return 3
  fi
}

down() {
  if [[ ! -e "$state" ]]; then
    say "nothing to stop"
    return 0
  fi
  stop_processes
  remove_containers
  rm -rf "$state"
  say "down: everything stopped, $state deleted"
}

case "${1:-}" in
  up | status | down) "$1" ;;
  *)
    echo "usage: scripts/local-pipeline.sh up|status|down" >&2
    exit 2
    ;;
esac
