#!/usr/bin/env bash
# Runs every test: unit and golden tests, integration tests against real parts (MiniStack, buildah, docker-registry),
# CDK assertion tests and `cdk synth` with cdk-nag. Installs what the tests need when it is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=java-home.sh
source "$here/scripts/java-home.sh"
cd "$here"
if [ -x scripts/install-test-tools.sh ]; then
  scripts/install-test-tools.sh
fi
mvn -B verify "$@"
if [ -x cdk/synth.sh ]; then
  # the signing keys a real deployment gets from smd-release signing-setup; synth reads nothing of the account
  cdk/synth.sh -c signingProfile=smd_release_ci \
    -c signingCertificateArn=arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000
fi
