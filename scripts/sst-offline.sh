#!/usr/bin/env bash
# Installs SST's platform (Pulumi providers and the types tsc checks sst.config.ts against) into
# .sst/platform without AWS or GitHub: bun comes from the `bun` npm package, SST's download of the
# Pulumi CLI is skipped (only deploys need it), providers come from the npm registry.
#   scripts/sst-offline.sh             install
#   scripts/sst-offline.sh --if-missing   install only when .sst/platform is absent or stale
set -euo pipefail
cd "$(dirname "$0")/.."

sst_version=$(node -p 'JSON.parse(require("fs").readFileSync("node_modules/sst/package.json", "utf8")).version')
if [[ "${1:-}" == "--if-missing" && -f .sst/platform/version && -f .sst/platform/config.d.ts ]] &&
  [[ "$(cat .sst/platform/.countersign-sst 2>/dev/null)" == "$sst_version" ]]; then
  exit 0
fi

bun="$PWD/node_modules/bun/bin/bun.exe"
if [[ ! -x "$bun" ]]; then
  echo "sst-offline: no bun binary at $bun — run npm ci (the bun package's install script must be allowed)" >&2
  exit 1
fi

export SST_BUN_PATH="$bun"
export SST_SKIP_DEPENDENCY_CHECK=1
export SST_TELEMETRY_DISABLED=1
export SST_STAGE="${SST_STAGE:-ci}"
# The config is evaluated (not deployed) during install; it must not need real settings.
export COUNTERSIGN_SENDER="${COUNTERSIGN_SENDER:-ci@example.com}"

npx --no-install sst install
echo "$sst_version" > .sst/platform/.countersign-sst
