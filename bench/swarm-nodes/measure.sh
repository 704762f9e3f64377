#!/usr/bin/env bash
# The figures in README.md, in one run from a machine without the bed: `up 3` timed from scratch and again
# (idempotent), the smoke check, the failover test with Swarm's defaults (twice) and with a 1 s heartbeat and no
# restart delay, then `down` and the clean check. About 3 minutes; output is worth teeing to a file.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
C="$HERE/cluster.sh"

if [[ -e /run/tune-bed || -e /run/tune-node-0 ]]; then echo "== the bed is up: taking it down first"; bash "$C" down; fi
trap 'echo "== failed: taking the bed down"; bash "$C" down || true' ERR

echo "== up 3 (from scratch)"
s=$(date +%s.%N); bash "$C" up 3; e=$(date +%s.%N)
up_fresh=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.1f", b - a }')
echo "== up 3 again (idempotent)"
s=$(date +%s.%N); bash "$C" up 3 >/dev/null; e=$(date +%s.%N)
up_again=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.1f", b - a }')

echo "== smoke"
bash "$HERE/smoke.sh"
for run in 1 2; do
  echo "== failover, Swarm defaults (heartbeat 5s, restart delay 5s), run $run"
  bash "$HERE/failover.sh"
done
echo "== failover, heartbeat 1s, --restart-delay 0s"
HEARTBEAT=1s SERVICE_ARGS="--restart-delay 0s" bash "$HERE/failover.sh"
echo "== failover, whole node killed (dockerd, containerd, shim, server), Swarm defaults"
KILL_NODE=1 bash "$HERE/failover.sh"

echo "== down"
s=$(date +%s.%N); bash "$C" down; e=$(date +%s.%N)
trap - ERR
echo "== summary: up 3 from scratch ${up_fresh} s, up 3 again ${up_again} s, down $(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.1f", b - a }') s"
