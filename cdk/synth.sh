#!/usr/bin/env bash
# Synthesizes the release pipeline stack into cdk/cdk.out with the CDK CLI pinned in package-lock.json.
# Builds the Lambda jar when it is missing. Fails (non-zero) on invalid context or any unacknowledged cdk-nag (AwsSolutions) finding.
# Extra arguments go to `cdk synth`. The stack signs what it releases, so the signing profile and its certificate are
# required (smd-release signing-setup creates the profile and prints both):
#   ./synth.sh -c signingProfile=NAME -c signingCertificateArn=arn:aws:acm:...
# and e.g. -c createEcrRepositories=false -c ecrRepositoryArns=arn:... (cdk/README.md lists every key)
set -euo pipefail
cd "$(dirname "$0")"

if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

# The stack packages the Lambda jar: build it when it is missing (from the reactor, so nothing of this project
# has to be in the local Maven repository).
jar=../functions/target/smd-release.jar
if [[ ! -f "$jar" ]]; then
  echo "synth.sh: building $jar"
  (cd .. && mvn -B -q package -DskipTests -pl functions)
fi

# npm ci when the CLI is missing or node_modules was installed from another lock file
if [[ ! -x node_modules/.bin/cdk ]] || ! cmp -s <(node -p "require('./package-lock.json').packages['node_modules/aws-cdk'].version") \
    <(node -p "require('./node_modules/aws-cdk/package.json').version" 2>/dev/null); then
  npm ci --no-audit --no-fund
fi

export CDK_DISABLE_CLI_TELEMETRY=true
npx --no-install cdk synth --quiet --no-notices "$@"
echo "synth.sh: synthesized $(ls cdk.out/*.template.json | xargs -n1 basename | tr '\n' ' ')"
