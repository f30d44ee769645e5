#!/usr/bin/env bash
# Logs skopeo (which does the pushing, see push.sh) in to the registry of one repository URI:
#   <acct>.dkr.ecr.<region>.amazonaws.com/...  aws ecr get-login-password --region <region>
#   public.ecr.aws/...                         aws ecr-public get-login-password --region us-east-1
#   localhost[:port]/..., 127.0.0.1[:port]/... no login (plain http)
# Anything else: no login, existing credentials are used.
# Usage: registry-login.sh REPOSITORY_URI
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 1)) || die "usage: registry-login.sh REPOSITORY_URI"
repo="$1"
host="${repo%%/*}"

password=""
if [[ "$host" =~ ^[0-9]{12}\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$ ]]; then
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
skopeo login --username AWS --password-stdin "$host" <<<"$password" >/dev/null || die "skopeo login to $host failed"
log "logged in to $host"
