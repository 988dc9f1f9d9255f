#!/usr/bin/env bash
# `npm run demo`: the whole pipeline on the sample app in examples/, against the local engine and a local
# registry (started here). The bad Dockerfile fails the gate and pushes nothing; the good one passes, passes
# the least-privilege smoke test, and is pushed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-env.sh
STATE="${SI_STATE_DIR:-/var/lib/secure-image-test}"
REGISTRY=$(node -e "console.log(require('$STATE/env.json').registry)")
USERNAME=$(node -e "console.log(require('$STATE/env.json').username)")
CLI=(node dist/cli.cjs)
OUT=.secure-image/demo
mkdir -p "$OUT"

common=(--context examples/app --image "$REGISTRY/demo/app" --osv-db examples/osv-db
  --registry "$REGISTRY" --username "$USERNAME" --password-stdin --push)

echo
echo "════ 1/2  examples/app/Dockerfile.bad: expected to FAIL the gate and push nothing"
set +e
node -e "process.stdout.write(require('$STATE/env.json').password)" |
  "${CLI[@]}" run "${common[@]}" --dockerfile examples/app/Dockerfile.bad --tags bad \
    --report-file "$OUT/bad-report.json" --sarif-file "$OUT/bad.sarif"
bad=$?
set -e
echo "exit code: $bad (1 = the gate failed)"

echo
echo "════ 2/2  examples/app/Dockerfile: expected to PASS, then be pushed to $REGISTRY/demo/app:demo"
set +e
node -e "process.stdout.write(require('$STATE/env.json').password)" |
  "${CLI[@]}" run "${common[@]}" --dockerfile examples/app/Dockerfile --tags demo --smoke-test \
    --report-file "$OUT/good-report.json" --sbom-file "$OUT/good.cdx.json" --sarif-file "$OUT/good.sarif"
good=$?
set -e
echo "exit code: $good (0 = the gate passed)"
echo
echo "JSON reports, SARIF and SBOM: $OUT/"
node -e "const r=require('./$OUT/good-report.json'); console.log('pushed image:', JSON.stringify(r.image))"

if [ "$bad" -ne 1 ] || [ "$good" -ne 0 ]; then
  echo "demo: unexpected result (bad=$bad, good=$good)" >&2
  exit 1
fi
echo "demo: the bad Dockerfile was stopped at the gate; the good one was scanned, smoke-tested and pushed."
