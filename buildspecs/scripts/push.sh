#!/usr/bin/env bash
# Pushes the built image under every tag of IMAGE_TAGS to every repository of TARGET_ECR_REPOS, checks that
# every repository holds the same manifest digest for every tag, and writes push-report-<type>.json.
#
# CPU is the bottleneck, so each layer is compressed once: the image is exported once to an OCI layout
# ($WORK_DIR/oci), then `skopeo copy --preserve-digests` sends the already compressed blobs to all
# repositories in parallel (one background job per repository, its output in $WORK_DIR/push/<n>/log, printed
# afterwards; within a repository the tags go one after the other, so the blobs go up once and the other tags
# only add a manifest). Each job then reads its tags back: every repository must serve the exported manifest
# digest under every tag, hence all repositories hold the same digest.
# A failed repository (login, push or read-back) fails the script and is named; the others are reported as
# they are. The report is published next to the artifacts (S3 or ARTIFACT_DIR).
# Local registries (localhost[:port], 127.0.0.1[:port]) are reached over plain http.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env IMAGE_TYPE IMAGE_TAGS
require_cmd jq skopeo sha256sum timeout
container_engine >/dev/null
read -r -a tags <<<"$IMAGE_TAGS"
read -r -a repos <<<"${TARGET_ECR_REPOS:-}"
mapfile -t repos < <(printf '%s\n' "${repos[@]}" | awk 'NF && !seen[$0]++')
image="$(local_image)"
ref="$(build_arg IMAGE_VERSION)"
report_file="$WORK_DIR/push-report-$IMAGE_TYPE.json"
# Bounds (seconds) on one `skopeo copy` and one `skopeo inspect`: a registry that stops answering fails its
# repository instead of hanging the build.
PUSH_TIMEOUT="${PUSH_TIMEOUT:-1800}"
INSPECT_TIMEOUT="${INSPECT_TIMEOUT:-120}"
scripts="$(dirname "${BASH_SOURCE[0]}")"

is_local_registry() { [[ "${1%%/*}" =~ ^(localhost|127\.0\.0\.1)(:[0-9]+)?$ ]]; }
tls_flag() { # tls_flag OPTION REPO: OPTION=false for a local registry
  if is_local_registry "$2"; then printf '%s=false' "$1"; else printf '%s=true' "$1"; fi
}
manifest_digest() { # manifest_digest IMAGE_REF [skopeo options]: sha256 of the raw manifest
  local hex
  hex="$(timeout --kill-after=10 "$INSPECT_TIMEOUT" skopeo inspect --raw "${@:2}" "$1" | sha256sum | cut -d' ' -f1)" ||
    return 1
  printf 'sha256:%s' "$hex"
}

push_dir="$WORK_DIR/push"
rm -rf "$push_dir"
mkdir -p "$push_dir"

if ((${#repos[@]} == 0)); then
  log "TARGET_ECR_REPOS is empty: nothing to push"
else
  ((${#tags[@]} > 0)) || die "IMAGE_TAGS has no tag"
  layout="$WORK_DIR/oci"
  rm -rf "$layout"
  start="$(now_ms)"
  log "exporting $image to the OCI layout $layout (layers compressed once)"
  engine_export_oci "$image" "$layout" "$ref" >"$push_dir/export.log" 2>&1 || {
    cat "$push_dir/export.log" >&2
    die "could not export $image to $layout"
  }
  src="oci:$layout:$ref"
  src_digest="$(manifest_digest "$src")" || die "could not read the manifest of $src"
  log "exported $image as $src_digest in $(since "$start")"

  # Log in once per registry; a failed login fails only the repositories of that registry.
  declare -A login_error=()
  for repo in "${repos[@]}"; do
    host="${repo%%/*}"
    [[ -v "login_error[$host]" ]] && continue
    if out="$(bash "$scripts/registry-login.sh" "$repo" 2>&1)"; then
      login_error[$host]=""
      [[ -z "$out" ]] || printf '%s\n' "$out" >&2
    else
      printf '%s\n' "$out" >&2
      login_error[$host]="login to $host failed: $(tail -n 1 <<<"$out")"
    fi
  done

  # push_repo REPO DIR: every tag to REPO, digests in DIR/<tag>.digest, then every tag read back; the first
  # error in DIR/error.
  push_repo() {
    local repo="$1" dir="$2" tag rc
    for tag in "${tags[@]}"; do
      echo "+ skopeo copy $src docker://$repo:$tag"
      rc=0
      timeout --kill-after=10 "$PUSH_TIMEOUT" \
        skopeo copy --retry-times "${PUSH_RETRY_TIMES:-2}" --preserve-digests "$(tls_flag --dest-tls-verify "$repo")" \
        --digestfile "$dir/$tag.digest" "$src" "docker://$repo:$tag" >"$dir/$tag.out" 2>&1 || rc=$?
      cat "$dir/$tag.out"
      if ((rc == 124 || rc == 137)); then
        rm -f "$dir/$tag.digest"
        printf 'push of %s:%s timed out after %ss (PUSH_TIMEOUT)\n' "$repo" "$tag" "$PUSH_TIMEOUT" >"$dir/error"
        return 1
      elif ((rc != 0)); then
        rm -f "$dir/$tag.digest"
        printf 'push of %s:%s failed (skopeo exit %s): %s\n' "$repo" "$tag" "$rc" "$(tail -n 1 "$dir/$tag.out")" >"$dir/error"
        return 1
      fi
    done
    # Read every tag back: the registry must serve the exported manifest under each of them.
    local pushed remote
    for tag in "${tags[@]}"; do
      pushed="$(<"$dir/$tag.digest")"
      if ! remote="$(manifest_digest "docker://$repo:$tag" "$(tls_flag --tls-verify "$repo")" 2>"$dir/inspect.err")"; then
        printf 'could not read %s:%s back within %ss: %s\n' "$repo" "$tag" "$INSPECT_TIMEOUT" \
          "$(tail -n 1 "$dir/inspect.err")" >"$dir/error"
        return 1
      fi
      if [[ "$remote" != "$pushed" ]] || [[ "$remote" != "$src_digest" ]]; then
        printf '%s:%s holds %s, pushed %s, expected %s\n' "$repo" "$tag" "$remote" "$pushed" "$src_digest" >"$dir/error"
        return 1
      fi
      echo "read back $repo:$tag = $remote"
    done
  }

  start="$(now_ms)"
  declare -A job_pid=()
  for i in "${!repos[@]}"; do
    repo="${repos[$i]}"
    dir="$push_dir/$i"
    mkdir -p "$dir"
    if [[ -n "${login_error[${repo%%/*}]}" ]]; then
      printf '%s\n' "${login_error[${repo%%/*}]}" | tee "$dir/error" >"$dir/log"
      continue
    fi
    log "pushing ${#tags[@]} tag(s) to $repo (log: $dir/log)"
    push_repo "$repo" "$dir" >"$dir/log" 2>&1 &
    job_pid[$i]="$!"
  done
  for i in "${!job_pid[@]}"; do
    rc=0
    wait "${job_pid[$i]}" || rc=$?
    if ((rc != 0)) && [[ ! -f "$push_dir/$i/error" ]]; then
      printf 'push job for %s exited with %s (see its log)\n' "${repos[$i]}" "$rc" >"$push_dir/$i/error"
    fi
  done
  log "pushes finished in $(since "$start")"

  for i in "${!repos[@]}"; do
    printf '===== push to %s =====\n' "${repos[$i]}" >&2
    cat "$push_dir/$i/log" >&2
  done

  # Every repository's job read its tags back against the exported manifest; so they agree with each other.
  # Checked again here from the digest files, so that a change of the jobs cannot break it silently.
  for tag in "${tags[@]}"; do
    for i in "${!repos[@]}"; do
      dir="$push_dir/$i"
      [[ -f "$dir/error" ]] && continue
      if [[ ! -f "$dir/$tag.digest" ]]; then
        printf 'no digest recorded for %s:%s\n' "${repos[$i]}" "$tag" >"$dir/error"
      elif [[ "$(<"$dir/$tag.digest")" != "$src_digest" ]]; then
        printf '%s:%s holds %s, expected the exported %s\n' "${repos[$i]}" "$tag" "$(<"$dir/$tag.digest")" \
          "$src_digest" >"$dir/error"
      fi
    done
  done
fi

# One jq for the whole report (jq costs ~20 ms of CPU per start): records R<TAB>repo<TAB>status<TAB>error and
# T<TAB>tag<TAB>digest for the tags of the repository before.
failed=()
records="$push_dir/report.tsv"
: >"$records"
for i in "${!repos[@]}"; do
  repo="${repos[$i]}"
  dir="$push_dir/$i"
  if [[ -f "$dir/error" ]]; then
    failed+=("$repo")
    printf 'R\t%s\tfailed\t%s\n' "$repo" "$(tr '\t\n' '  ' <"$dir/error")" >>"$records"
  else
    printf 'R\t%s\tpushed\t\n' "$repo" >>"$records"
  fi
  for tag in "${tags[@]}"; do
    if [[ -f "$dir/$tag.digest" ]]; then printf 'T\t%s\t%s\n' "$tag" "$(<"$dir/$tag.digest")" >>"$records"; fi
  done
done
report="$(jq -n -R --arg t "$IMAGE_TYPE" '
  reduce (inputs | split("\t")) as $f ({imageType: $t, repositories: {}, current: null};
    if $f[0] == "R" then
      .current = $f[1]
      | .repositories[$f[1]] = ({status: $f[2], tags: {}} + (if $f[2] == "failed" then {error: ($f[3] | rtrimstr(" "))} else {} end))
    else .repositories[.current].tags[$f[1]] = $f[2] end)
  | del(.current)' <"$records")"
printf '%s\n' "$report" >"$report_file"
log "push report $report_file:"
cat "$report_file" >&2
publish_artifact "$report_file"

if ((${#failed[@]} > 0)); then
  for i in "${!repos[@]}"; do
    [[ -f "$push_dir/$i/error" ]] && log "FAILED ${repos[$i]}: $(cat "$push_dir/$i/error")"
  done
  die "push failed for ${#failed[@]} of ${#repos[@]} repositories: ${failed[*]}"
fi
if ((${#repos[@]} > 0)); then
  log "all ${#repos[@]} repositories hold $src_digest for ${tags[*]}"
fi
