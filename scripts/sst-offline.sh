#!/usr/bin/env bash
# Installs SST's platform (Pulumi providers and the types tsc checks sst.config.ts against) into
# .sst/platform without AWS or GitHub: bun comes from the `bun` npm package, SST's download of the
# Pulumi CLI is skipped (only deploys need it), providers come from the npm registry.
#   scripts/sst-offline.sh             install
#   scripts/sst-offline.sh --if-missing   install only when .sst/platform is absent or stale
set -euo pipefail
cd "$(dirname "$0")/.."

# Parallel `npm run typecheck` runs share one install: the second waits, then finds it done.
mkdir -p .sst
exec 9>.sst/.install.lock
command -v flock >/dev/null 2>&1 && flock 9

# Reinstall when SST or the pinned providers change (the `providers:` line of sst.config.ts).
stamp="sst $(node -p 'JSON.parse(require("fs").readFileSync("node_modules/sst/package.json", "utf8")).version'); $(grep -m1 'providers:' sst.config.ts | tr -s ' ')"
if [[ "${1:-}" == "--if-missing" && -f .sst/platform/version && -f .sst/platform/config.d.ts ]] &&
  [[ "$(cat .sst/platform/.countersign-sst 2>/dev/null)" == "$stamp" ]]; then
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

npx --no-install sst install
echo "$stamp" > .sst/platform/.countersign-sst
