#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what is missing, then runs every package's
# tests against the real lab (started by vitest's global setup), then checks the built packages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm run typecheck
pnpm run lint
pnpm run test
pnpm run build
pnpm run check:packages
pnpm run check:docs
