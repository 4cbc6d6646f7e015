#!/usr/bin/env bash
# Refreshes the project's copy of the AWS-recorded corpora from ../shared/conformance (never edited
# here) and writes conformance/SHA256SUMS, which test/conformance/corpus-copy.test.ts checks.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/conformance}
[ -d "$src" ] || { echo "refresh-corpora: $src not found (pass the shared conformance folder)" >&2; exit 2; }
rm -rf conformance
mkdir conformance
cp -r "$src"/. conformance/
(cd conformance && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS)
echo "conformance/: $(wc -l < conformance/SHA256SUMS) files copied from $src"
