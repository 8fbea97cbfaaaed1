#!/usr/bin/env bash
# The lab end to end: install what is missing, start the lab, make one round trip through every
# component (EC2 call to moto, SSH to sshd, a container behind nginx, a pebble certificate),
# then stop the lab, also when the round trip fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

dir=.lab/demo
lab() { node packages/lab/bin/ferry-lab.mjs "$@" --dir "$dir"; }
# A demo interrupted earlier left its lab running: stop it by its recorded pids.
lab down >/dev/null
trap 'lab down' EXIT
lab up
FERRY_LAB_STATE="$dir/state.json" pnpm exec tsx --conditions=@ferry/source examples/lab-roundtrip.ts
