#!/usr/bin/env bash
# Pushes the tested image once, by digest, to the staging repository: the candidate. Inputs: STAGING_REPO (a
# repository URI host[:port]/path; empty: a local build without a registry, nothing is pushed) and CANDIDATE_TAG.
# Writes $WORK_DIR/candidate-<type>.json = {"imageType", "repository", "tag", "digest", "pushedAt"} (repository,
# digest and pushedAt null, with a "note", when STAGING_REPO is empty) and publishes it next to the artifacts.
# The build never touches a release repository: Promote copies the staged digest there (TARGET_ECR_REPOS is ignored).
#
# One `buildah push` (or `skopeo copy docker-daemon:`) straight to the registry: the layers are compressed once, on
# the way, so the push costs what a plain push costs. The digest is then read back from the registry
# (`skopeo inspect --raw` + sha256) and must be the pushed one.
#
# Retries: skopeo 1.9 and buildah 1.28 honour Retry-After only on requests without a body; a 429 on a blob upload
# (the PATCH) fails the copy ("uploading layer chunked: toomanyrequests"), which buildah retries 3 times after a fixed
# 2 s (skopeo's --retry-times likewise, 1 s doubling), whatever Retry-After says. So both steps run under
# with_retries: a transient failure (429, 5xx, connection refused or reset, timeout) is retried after
# PUSH_RETRY_FIRST_WAIT s, doubling up to PUSH_RETRY_MAX_WAIT, at most PUSH_ATTEMPTS attempts within
# PUSH_RETRY_BUDGET s; a retried push re-sends only the blobs the registry lacks. Anything else (401, 403, 404,
# invalid names) fails at once.
# Local registries (localhost[:port], 127.0.0.1[:port]) are reached over plain http.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env IMAGE_TYPE
require_cmd jq sha256sum timeout
container_engine >/dev/null
image="$(local_image)"
candidate_file="$WORK_DIR/candidate-$IMAGE_TYPE.json"
scripts="$(dirname "${BASH_SOURCE[0]}")"
# Bounds (seconds) of one push and one read-back, and of the retries around them.
PUSH_TIMEOUT="${PUSH_TIMEOUT:-1800}"
INSPECT_TIMEOUT="${INSPECT_TIMEOUT:-120}"
PUSH_ATTEMPTS="${PUSH_ATTEMPTS:-5}"
PUSH_RETRY_FIRST_WAIT="${PUSH_RETRY_FIRST_WAIT:-2}"
PUSH_RETRY_MAX_WAIT="${PUSH_RETRY_MAX_WAIT:-60}"
PUSH_RETRY_BUDGET="${PUSH_RETRY_BUDGET:-600}"
push_dir="$WORK_DIR/push"
rm -rf "$push_dir"
mkdir -p "$push_dir"

# write_candidate REPOSITORY DIGEST PUSHED_AT [NOTE]: the candidate record (empty values become null).
write_candidate() {
  jq -n --arg type "$IMAGE_TYPE" --arg repo "$1" --arg tag "${CANDIDATE_TAG:-}" --arg digest "$2" --arg at "$3" \
    --arg note "${4:-}" '
    def orNull: if . == "" then null else . end;
    {imageType: $type, repository: ($repo | orNull), tag: ($tag | orNull), digest: ($digest | orNull),
     pushedAt: ($at | orNull)} + (if $note == "" then {} else {note: $note} end)' >"$candidate_file"
  log "candidate $candidate_file:"
  cat "$candidate_file" >&2
  publish_artifact "$candidate_file"
}

if [[ -n "${TARGET_ECR_REPOS:-}" ]]; then
  log "TARGET_ECR_REPOS is not used by the build: the release repositories are written by Promote only"
fi
if [[ -z "${STAGING_REPO:-}" ]]; then
  log "STAGING_REPO is empty: nothing is pushed, $image stays local"
  write_candidate "" "" "" "STAGING_REPO was empty: the image was built and tested but not pushed (a local build without a registry)"
  exit 0
fi
require_env CANDIDATE_TAG
[[ "$STAGING_REPO" =~ ^[A-Za-z0-9.-]+(:[0-9]+)?/[a-z0-9]+([._/-]+[a-z0-9]+)*$ ]] ||
  die "STAGING_REPO '$STAGING_REPO' is not a repository URI host[:port]/path (no tag, no digest)"
[[ "$CANDIDATE_TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
  die "CANDIDATE_TAG '$CANDIDATE_TAG' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]*, at most 128)"
if [[ "${STAGING_REPO%%/*}" =~ ^(localhost|127\.0\.0\.1)(:[0-9]+)?$ ]]; then tls=false; else tls=true; fi

# with_retries WHAT LIMIT COMMAND...: runs COMMAND (a program, at most LIMIT s) until it succeeds, retrying transient
# failures as described above. Its stdout is left in $push_dir/stdout; its stderr is printed and searched for the
# cause. Fails naming WHAT and the last line of the last attempt.
with_retries() {
  local what="$1" limit="$2" attempt=1 wait="$PUSH_RETRY_FIRST_WAIT" start rc reason elapsed
  shift 2
  local err="$push_dir/stderr"
  start="$(now_ms)"
  while true; do
    rc=0
    timeout --kill-after=10 "$limit" "$@" >"$push_dir/stdout" 2>"$err" || rc=$?
    cat "$err" >&2
    ((rc == 0)) && return 0
    if ((rc == 124 || rc == 137)); then
      reason="timed out after ${limit}s"
    elif grep -qiE 'toomanyrequests|too many requests|\b429\b|\b50[0-9]\b|connection refused|connection reset|i/o timeout|tls handshake timeout|unexpected eof|server misbehaving|broken pipe' "$err"; then
      reason="$(tail -n 1 "$err")"
    else
      die "$what failed: $(tail -n 1 "$err")"
    fi
    elapsed=$((($(now_ms) - start) / 1000))
    if ((attempt >= PUSH_ATTEMPTS || elapsed + wait > PUSH_RETRY_BUDGET)); then
      die "$what failed after $attempt attempt(s) in ${elapsed}s (PUSH_ATTEMPTS=$PUSH_ATTEMPTS, PUSH_RETRY_BUDGET=${PUSH_RETRY_BUDGET}s): $reason"
    fi
    log "$what: transient failure ($reason); attempt $((attempt + 1)) of $PUSH_ATTEMPTS in ${wait}s"
    sleep "$wait"
    attempt=$((attempt + 1))
    wait=$((wait * 2 > PUSH_RETRY_MAX_WAIT ? PUSH_RETRY_MAX_WAIT : wait * 2))
  done
}

bash "$scripts/registry-login.sh" "$STAGING_REPO" || die "login to the registry of $STAGING_REPO failed"
start="$(now_ms)"
log "pushing $image to $STAGING_REPO:$CANDIDATE_TAG"
# engine_push is a lib.sh function: timeout runs it in a bash that sources lib.sh
# shellcheck disable=SC2016  # expanded by that bash
with_retries "push of $image to $STAGING_REPO:$CANDIDATE_TAG" "$PUSH_TIMEOUT" \
  bash -c 'source "$1"; shift; engine_push "$@"' push "$scripts/lib.sh" \
  "$image" "$STAGING_REPO:$CANDIDATE_TAG" "$push_dir/digest" "$tls"
cat "$push_dir/stdout" >&2
pushed="$(<"$push_dir/digest")"
pushed_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "pushed $STAGING_REPO@$pushed in $(since "$start")"

with_retries "read-back of $STAGING_REPO:$CANDIDATE_TAG" "$INSPECT_TIMEOUT" \
  skopeo inspect --raw --tls-verify="$tls" "docker://$STAGING_REPO:$CANDIDATE_TAG"
remote="sha256:$(sha256sum "$push_dir/stdout" | cut -d' ' -f1)"
[[ "$remote" == "$pushed" ]] ||
  die "$STAGING_REPO:$CANDIDATE_TAG holds $remote, but the push wrote $pushed: another push raced this one?"
log "read back $STAGING_REPO:$CANDIDATE_TAG = $remote"
write_candidate "$STAGING_REPO" "$pushed" "$pushed_at"
