#!/usr/bin/env bash
# Installs everything ferry's lab and toolchain need on a fresh Debian 12 machine, as root.
# Idempotent: each step checks before it installs, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '[setup] %s\n' "$*"; }

# Debian packages: the lab's real servers, and tools its scripts use.
debs=(openssh-server openssh-client sudo nginx pebble podman runc busybox-static catatonit openssl curl ca-certificates procps iproute2 uidmap putty-tools)
# putty-tools: puttygen, the reference reader @ferry/ec2's tests check its .ppk export against.
# catatonit: podman's `--init` process (its init_path), so lab containers stop on SIGTERM.
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts nothing in a container, but make sure the distro's own nginx/sshd do not hold ports.
command -v systemctl >/dev/null && systemctl disable --now nginx ssh >/dev/null 2>&1 || true

# The lab's SSH target logs in as this user. This is the ONE change to the machine besides
# packages, made once at install time so the lab itself writes nothing to /etc when it runs:
# a user whose password field is '*' (not '!': with `UsePAM no` sshd treats '!' as locked and
# refuses even key logins) and passwordless sudo, as on an EC2 instance's default user.
DEPLOY_USER=ferry-deploy
if ! id "$DEPLOY_USER" >/dev/null 2>&1; then
  log "user $DEPLOY_USER"
  useradd --create-home --shell /bin/bash "$DEPLOY_USER"
fi
[ "$(getent shadow "$DEPLOY_USER" | cut -d: -f2)" = '*' ] || usermod -p '*' "$DEPLOY_USER"
sudoers=/etc/sudoers.d/ferry-lab
sudo_line="$DEPLOY_USER ALL=(ALL) NOPASSWD:ALL"
if [ "$(cat "$sudoers" 2>/dev/null)" != "$sudo_line" ]; then
  log "passwordless sudo for $DEPLOY_USER ($sudoers)"
  printf '%s\n' "$sudo_line" >"$sudoers.tmp"
  chmod 0440 "$sudoers.tmp"
  visudo -cqf "$sudoers.tmp"
  mv "$sudoers.tmp" "$sudoers"
fi

# moto server, pinned, in the lab's own virtualenv (nothing installed into the system Python).
MOTO_VERSION=5.2.5
venv="$root/.lab/venv"
if ! "$venv/bin/python" -c "import moto,sys; sys.exit(moto.__version__!='$MOTO_VERSION')" 2>/dev/null; then
  log "moto[server]==$MOTO_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

# pnpm, pinned (corepack's signature check fails here; npm works).
PNPM_VERSION=12.21.0
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  log "pnpm@$PNPM_VERSION"
  npm install -g --silent --allow-scripts=pnpm "pnpm@$PNPM_VERSION" >/dev/null 2>&1 ||
    npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null
  hash -r
  [ "$(pnpm --version 2>/dev/null || true)" = "$PNPM_VERSION" ] || { echo "[setup] pnpm $PNPM_VERSION did not install" >&2; exit 1; }
fi

# Node modules from the lockfile.
if [ -f pnpm-lock.yaml ]; then
  log "pnpm install"
  CI=${CI:-} pnpm install --frozen-lockfile --reporter=silent
fi
log "ready"
