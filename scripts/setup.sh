#!/usr/bin/env bash
# Prepares a Debian machine (Node 20 already installed) to run tune: Docker and fonts from apt, the Docker
# engine started, npm dependencies installed, the package built into dist/, the model-server image built.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "setup: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

require_node() {
  if ! command -v node >/dev/null 2>&1; then
    log "node is not installed: install Node.js 20 (e.g. from nodesource) and run this again"; exit 1
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then log "node $(node --version) is too old: tune needs Node.js 20 or newer"; exit 1; fi
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  # A compose client, for the end-to-end test of `tune export --format compose` (docker stack deploy refuses its keys).
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  # An image registry, for the end-to-end test of `tune image push` (clusters pull the server image from one).
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  # Plots are rendered to PNG with resvg, which needs a real font on disk; the ocr workload draws its text lines with these DejaVu faces.
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  # Headless Chromium, for the integration test that opens the HTML report and checks its live charts.
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  # Google's spm_train/spm_encode/spm_decode: the reference the SentencePiece tokenizer tests compare against.
  command -v spm_train >/dev/null 2>&1 || missing+=(sentencepiece)
  if [ "${#missing[@]}" -eq 0 ]; then return; fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_engine() {
  if engine_answers; then return; fi
  log "starting dockerd (log: /var/log/tune-dockerd.log)"
  as_root sh -c 'nohup dockerd >/var/log/tune-dockerd.log 2>&1 &'
  for _ in $(seq 60); do
    if engine_answers; then log "Docker engine $(docker version --format '{{.Server.Version}}') is up"; return; fi
    sleep 1
  done
  log "the Docker engine did not answer within 60 s: see /var/log/tune-dockerd.log"; exit 1
}

install_dependencies() {
  # npm ci wipes node_modules, so only when the lock file is newer than the last install.
  if [ -f node_modules/.package-lock.json ] && ! [ package-lock.json -nt node_modules/.package-lock.json ]; then return; fi
  log "npm ci"
  npm ci --no-audit --no-fund
}

build_package() {
  # dist/ is what `npm pack` ships (bin/tune.mjs in this checkout runs src/ through tsx): rebuilt when any
  # source or build setting is newer than it (a deleted file makes its folder newer).
  if [ -f dist/index.js ] && [ -z "$(find src tsconfig.json tsconfig.build.json -newer dist/index.js -print -quit)" ]; then return; fi
  log "npm run build"
  npm run build
}

require_node
install_packages
start_engine
install_dependencies
build_package
log "building the model-server image (skipped when current)"
node bin/tune.mjs image build
