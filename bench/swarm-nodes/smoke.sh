#!/usr/bin/env bash
# Smoke check of the bed (cluster.sh up first): a 2-replica service of the registry's tune-server image on the
# workers, host networking, one port per task slot; health and a gan prediction from the root namespace.
#   smoke.sh            create, check, remove
#   KEEP=1 smoke.sh     leave the service running (failover.sh creates its own)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

SERVICE=${SERVICE:-tune-smoke}
t0=$(now)
create_service "$SERVICE" 2
log "service $SERVICE created; waiting for 2 running tasks"
wait_running "$SERVICE" 2 120
t_running=$(now)
log "both tasks running after $(elapsed "$t0" "$t_running") s"

MODEL_SHAPE=$(jq -r '.instanceShape | map(tostring) | join("x")' "$MODEL_DIR/manifest.json")
BODY=$(mktemp /tmp/tune-smoke-body.XXXXXX.json)
trap 'rm -f "$BODY" "$BODY.out"' EXIT
jq -c '{instances: [[range(0; .instanceShape | reduce .[] as $d (1; . * $d)) | ((. * 37 % 101) / 100)]]}' "$MODEL_DIR/manifest.json" >"$BODY"

fail=0
while read -r task slot node state; do
  a=$(node_addr "$node"); host=$(node_host "$node"); port=$((BASE_PORT + slot - 1))
  t_ready=$(wait_ready "$a" "$port" 60) || { log "task $task on $host ($a:$port): not ready"; fail=1; continue; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://$a:$port/v1/health/ready")
  bound=$(ip netns exec "$host" ss -ltnH "sport = :$port" | awk '{print $4}' | paste -sd,)
  meta=$(curl -s -m 10 -o "$BODY.out" -w 'HTTP %{http_code}, %{size_download} bytes, %{time_total} s' -H 'content-type: application/json' --data-binary "@$BODY" "http://$a:$port/v1/models/gan:predict")
  answer=$(head -c 120 "$BODY.out")
  echo "task ${task:0:12} slot $slot on $host $a:$port (listening on $bound)  state=$state  ready after $(elapsed "$t0" "$t_ready") s  GET /v1/health/ready -> $code"
  echo "  POST /v1/models/gan:predict (1 instance, $MODEL_SHAPE) -> $meta: $answer..."
  [[ $code == 200 && $meta == 'HTTP 200'* && $answer == *'"predictions"'* ]] || fail=1
done < <(task_rows "$SERVICE" running)

if [[ ${KEEP:-0} != 1 ]]; then
  remove_service "$SERVICE"
fi
((fail == 0)) && echo "smoke: OK" || { echo "smoke: FAILED"; exit 1; }
