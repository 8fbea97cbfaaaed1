#!/usr/bin/env bash
# The demo: install what is missing, start the lab, make one round trip through every lab server,
# then run the whole seed flow (examples/full-stack.ts: launch → ports → containers → nginx →
# certificate → AMI copied and shared → CloudFront invalidation → Global Accelerator → teardown),
# and stop the lab, also when something fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

dir=.lab/demo
lab() { node packages/lab/bin/ferry-lab.mjs "$@" --dir "$dir"; }
# A demo interrupted earlier left its lab running: stop it by its recorded pids.
lab down >/dev/null
trap 'lab down' EXIT
lab up
export FERRY_LAB_STATE="$dir/state.json"
run() { pnpm exec tsx --conditions=@ferry/source "$@"; }

printf '\n### examples/lab-roundtrip.ts: one round trip through every lab server\n'
run examples/lab-roundtrip.ts
printf '\n### examples/full-stack.ts: the whole deploy, then teardown\n'
run examples/full-stack.ts
