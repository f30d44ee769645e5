#!/usr/bin/env bash
# Logs skopeo (which does the pushing, see push.sh) in to the registry of one repository URI:
#   <acct>.dkr.ecr.<region>.amazonaws.com/...  aws ecr get-login-password --region <region>
#   public.ecr.aws/...                         aws ecr-public get-login-password --region us-east-1
#   localhost[:port]/..., 127.0.0.1[:port]/... no login (plain http)
# Anything else: no login, existing credentials are used.
# ECR_REGISTRY_HOSTS="host=region ..." names ECR registries reached under another host name (a VPC endpoint's DNS
# name, or an emulator in tests): those log in like private ECR, with the region given.
# Usage: registry-login.sh REPOSITORY_URI
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 1)) || die "usage: registry-login.sh REPOSITORY_URI"
repo="$1"
host="${repo%%/*}"

# the region of an ECR registry named in ECR_REGISTRY_HOSTS, else nothing
mapped_ecr_region() {
  local entry
  for entry in ${ECR_REGISTRY_HOSTS:-}; do
    if [[ "${entry%%=*}" == "$1" ]]; then
      printf '%s' "${entry#*=}"
      return 0
    fi
  done
  return 1
}

password=""
tls=()
if region="$(mapped_ecr_region "$host")"; then
  require_cmd aws
  password="$(aws ecr get-login-password --region "$region")" || die "aws ecr get-login-password --region $region failed for $host"
  [[ "$host" =~ ^(localhost|127\.0\.0\.1)(:[0-9]+)?$ ]] && tls=(--tls-verify=false)
elif [[ "$host" =~ ^[0-9]{12}\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$ ]]; then
  region="${BASH_REMATCH[2]}"
  require_cmd aws
  password="$(aws ecr get-login-password --region "$region")" || die "aws ecr get-login-password --region $region failed for $host"
elif [[ "$host" == "public.ecr.aws" ]]; then
  require_cmd aws
  password="$(aws ecr-public get-login-password --region us-east-1)" || die "aws ecr-public get-login-password failed for $host"
elif [[ "$host" =~ ^(localhost|127\.0\.0\.1)(:[0-9]+)?$ ]]; then
  log "$host is a local registry: no login"
  exit 0
else
  log "$host: no known login method, using existing credentials"
  exit 0
fi

require_cmd skopeo
skopeo login "${tls[@]}" --username AWS --password-stdin "$host" <<<"$password" >/dev/null || die "skopeo login to $host failed"
log "logged in to $host"
