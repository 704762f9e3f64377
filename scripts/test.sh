#!/usr/bin/env bash
# Sets the machine up (scripts/setup.sh), type-checks, then runs every test: unit and end-to-end against real containers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run typecheck
npm test
