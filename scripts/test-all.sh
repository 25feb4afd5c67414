#!/usr/bin/env bash
# Every test, as CI runs it: generated files up to date, types, web build, unit + API + browser.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: Chromium (browser tests), pg_dump/pg_restore (backups; the
# embedded PostgreSQL is 15 to match Debian bookworm's postgresql-client).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pg_restore >/dev/null 2>&1 || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages for the tests: ${missing[*]}…"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if git rev-parse --git-dir >/dev/null 2>&1; then
  echo "Checking generated files (migrations, openapi.json, the web's API types)…"
  pnpm --filter @tissu/db generate >/dev/null
  pnpm openapi >/dev/null
  generated=(db/migrations server/openapi.json web/src/lib/server/api/schema.d.ts)
  if ! git diff --quiet -- "${generated[@]}" || [ -n "$(git ls-files --others --exclude-standard "${generated[@]}")" ]; then
    echo "Generated files differ from the committed ones: run 'pnpm db:generate' and 'pnpm openapi' and commit." >&2
    git status --short -- "${generated[@]}" >&2
    exit 1
  fi
fi

echo "Type-checking…"
pnpm check
echo "Building the web…"
pnpm --filter @tissu/web build >/dev/null

report=$(mktemp)
set +e
pnpm exec vitest run -c tests/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$report"
status=$?
set -e
# The report decides too: embedded-postgres's exit hook ends the process with code 0 on
# 'beforeExit', which can hide vitest's failure code.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  process.exit(r.success && r.numFailedTests === 0 && r.numFailedTestSuites === 0 ? 0 : 1);
' "$report" || status=1
exit $status
