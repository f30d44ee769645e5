#!/usr/bin/env bash
# Builds the Lambda jar, then deploys the release pipeline stack with the pinned CDK CLI.
# Needs AWS credentials and a bootstrapped account/region (npx cdk bootstrap, once).
# Needs the signing profile and its ACM certificate, made once with smd-release signing-setup (README "Signing"):
#   ./deploy.sh -c signingProfile=NAME -c signingCertificateArn=ARN [-c alarmEmail=team@example.com ...]
# Extra arguments go to `cdk deploy`.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
(cd .. && mvn -B -q package -DskipTests -pl functions)
[[ -x node_modules/.bin/cdk ]] || npm ci --no-audit --no-fund
export CDK_DISABLE_CLI_TELEMETRY=true
npx --no-install cdk deploy --require-approval never --outputs-file cdk.out/outputs.json "$@"
