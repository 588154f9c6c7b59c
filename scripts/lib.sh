# Shared by scripts/demo, scripts/test and .ci/run. Source it from the repository root.

PYTHON=${PYTHON:-python3}

ensure_python() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Tandem needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
  fi
}

# ensure_venv EXTRAS: create .venv and install Tandem (with "[EXTRAS]" if given) when needed.
# The stamp holds a hash of pyproject.toml and the extras installed with it, so a change to
# either (or scripts/test after scripts/demo, which installs no extras) installs again.
ensure_venv() {
  local extras=$1
  local stamp=.venv/.installed want
  ensure_python
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1) ${extras:-none}"
  if [ ! -f "$stamp" ] || ! grep -qxF "$want" "$stamp"; then
    echo "Installing Tandem${extras:+ with [$extras]} into .venv ..."
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet --constraint constraints.txt -e ".${extras:+[$extras]}"
    # Keep other extras' lines for these files: installing more never uninstalls.
    { grep -F "${want% *} " "$stamp" 2>/dev/null || true
      echo "$want"; } | sort -u > "$stamp.new"
    mv "$stamp.new" "$stamp"
  fi
}

# Start PostgreSQL and Redis on this machine if they are installed but not running.
ensure_services() {
  if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      echo "Starting PostgreSQL ..."
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if command -v redis-server >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Starting Redis ..."
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
}

# Install Debian's docker-compose (to validate deploy/compose.yaml; no image is pulled) and
# systemd-analyze (to verify the service units) when they are missing and we can.
ensure_deploy_checks() {
  local missing=()
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  if [ ${#missing[@]} = 0 ]; then return; fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's ${missing[*]} for the deployment checks ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: install Debian's ${missing[*]} for the deployment checks" >&2
  fi
}

# Install Debian's Chromium for the real-browser tests when it is missing and we can.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: /usr/bin/chromium is missing; install Debian's chromium package" >&2
  fi
}

# Install Debian's Dovecot IMAP server for the e-mail tests when it is missing and we can. The
# tests start their own Dovecot (tests/mailservers.py); the system one must not run, so a
# policy-rc.d keeps the package's scripts from starting it.
ensure_mail_servers() {
  if [ -x /usr/sbin/dovecot ]; then return; fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's dovecot-imapd for the e-mail tests ..."
    local policy=/usr/sbin/policy-rc.d ours="" status=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && ours=1
    fi
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null ||
      status=$?
    if [ -n "$ours" ]; then rm -f "$policy"; fi
    # Should a system Dovecot have started anyway, stop it (it would hold port 143).
    if [ -s /run/dovecot/master.pid ]; then /usr/sbin/dovecot stop >/dev/null 2>&1 || true; fi
    return "$status"
  else
    echo "warning: /usr/sbin/dovecot is missing; install Debian's dovecot-imapd package" >&2
  fi
}

# Install a test helper's npm packages (pinned by its package-lock.json) once; warn without npm.
ensure_npm_folder() {  # folder, a package it installs, what it is for
  if [ -d "$1/node_modules/$2" ]; then return; fi
  if command -v npm >/dev/null; then
    echo "Installing $3 (npm ci in $1) ..."
    (cd "$1" && npm ci --no-audit --no-fund --silent)
  else
    echo "warning: npm is missing; $3 needs Node.js 20+ and npm" >&2
  fi
}

# The OpenID Connect provider the single sign-on tests run: panva's oidc-provider from the npm
# registry, pinned by tests/oidc/package-lock.json, installed next to it (never shipped).
ensure_oidc_provider() {
  ensure_npm_folder tests/oidc oidc-provider "the test OpenID Connect provider (single sign-on tests)"
}

# axe-core, which the accessibility tests inject into every page: from the npm registry, pinned
# by tests/a11y/package-lock.json, installed next to it (never shipped).
ensure_axe() {
  ensure_npm_folder tests/a11y axe-core "axe-core for the accessibility tests"
}
