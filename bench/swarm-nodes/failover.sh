#!/usr/bin/env bash
# What the Swarm backend sees when a worker's engine dies under a running task: a 2-replica service, then SIGKILL to
# the dockerd of the node running slot 1's task. Polls the manager every POLL s and prints each change (node
# Status.State, the old task's State/DesiredState/Err, the replacement, whether the old address still answers,
# the dead node's own engine socket), then restarts that dockerd and watches the node come back.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

SERVICE=${SERVICE:-tune-failover}
POLL=${POLL:-0.5}
DOWN_LIMIT=${DOWN_LIMIT:-120}

if dk 0 service inspect "$SERVICE" >/dev/null 2>&1; then remove_service "$SERVICE"; fi
create_service "$SERVICE" 2
wait_running "$SERVICE" 2 120
for row in $(task_rows "$SERVICE" running | awk '{print $3 ":" $2}'); do
  wait_ready "$(node_addr "${row%%:*}")" "$((BASE_PORT + ${row##*:} - 1))" 60 >/dev/null || die "task on ${row%%:*} not ready"
done
sleep 2 # settled: no task of the service may have failed on the way up
if [[ $(dk 0 service ps -q "$SERVICE" | wc -l) != 2 ]]; then
  dk 0 service ps --no-trunc "$SERVICE" >&2; die "a task of $SERVICE failed before the test"
fi
read -r old_task slot node _ < <(task_rows "$SERVICE" running | awk '$2 == 1')
victim_host=$(node_host "$node")
victim=${victim_host#tune-node-}
a=$(node_addr "$node"); port=$((BASE_PORT + slot - 1))
wait_ready "$a" "$port" 60 >/dev/null || die "slot 1 not ready"
bound=$(ip netns exec "$victim_host" ss -ltnH "sport = :$port" | awk '{print $4}')
log "slot $slot: task ${old_task:0:12} on $victim_host ($a:$port, listening on $bound); other: $(task_rows "$SERVICE" running | awk '$2 != 1 {print substr($1,1,12), "on", $3}')"

hb_before=$(dk 0 info --format '{{.Swarm.Cluster.Spec.Dispatcher.HeartbeatPeriod}}')
events_pid=""
cleanup() {
  [[ -z $events_pid ]] || kill "$events_pid" 2>/dev/null || true
  [[ -z ${HEARTBEAT:-} ]] || dk 0 swarm update --dispatcher-heartbeat "$hb_before" >/dev/null 2>&1 || true
}
trap cleanup EXIT
if [[ -n ${HEARTBEAT:-} ]]; then
  dk 0 swarm update --dispatcher-heartbeat "$HEARTBEAT" >/dev/null
  # Each node learns the new period from its next heartbeat answer, and the manager arms the old timeout until then.
  log "heartbeat period $hb_before -> $HEARTBEAT; waiting one old period + 2 s for the nodes to pick it up"
  sleep "$(( ${hb_before%s} + 2 ))"
fi
log "dispatcher heartbeat period: $(dk 0 info --format '{{.Swarm.Cluster.Spec.Dispatcher.HeartbeatPeriod}}'); service restart policy: $(dk 0 service inspect --format '{{json .Spec.TaskTemplate.RestartPolicy}}' "$SERVICE")"
EVENTS=$(mktemp /tmp/tune-failover-events.XXXXXX)
dk 0 events --filter type=node --filter type=service --format '{{.TimeNano}} {{.Type}} {{.Action}} {{.Actor.Attributes}}' >"$EVENTS" 2>&1 &
events_pid=$!
pid=$(cat "/run/tune-node-$victim/docker.pid")
container_pids() { ip netns pids "$victim_host" 2>/dev/null | while read -r p; do if [[ $(cat /proc/$p/comm 2>/dev/null) == node ]]; then echo "$p"; fi; done | paste -sd, || true; }
log "SIGKILL dockerd of $victim_host (pid $pid); server processes of the task: $(container_pids)"
t0=$(now)
kill -KILL "$pid"
if [[ ${KILL_NODE:-0} == 1 ]]; then # the whole node: its containerd, shims and the server too
  for p in $(ip netns pids "$victim_host"); do kill -KILL "$p" 2>/dev/null || true; done
  log "KILL_NODE=1: also killed every process in $victim_host"
fi

observe() {
  local n t r="" id row ready eng out
  n=$(dk 0 node inspect --format '{{.Status.State}} msg="{{.Status.Message}}"' "$node" 2>&1 | head -1)
  t=$(dk 0 inspect --type task --format 'State={{.Status.State}} Desired={{.DesiredState}} Err="{{.Status.Err}}" Msg="{{.Status.Message}}"' "$old_task" 2>&1 | head -1)
  for id in $(dk 0 service ps -q "$SERVICE"); do
    [[ $id == "${old_task:0:${#id}}" ]] && continue
    row=$(dk 0 inspect --type task --format '{{.Slot}} {{if .NodeID}}{{.NodeID}}{{else}}-{{end}} {{.Status.State}} {{.DesiredState}}' "$id")
    read -r rs rn rst rds <<<"$row"
    [[ $rs == 1 ]] || continue
    ready=""
    [[ $rst == running ]] && ready=" ready=$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://$(node_addr "$rn"):$port/v1/health/ready" || true)"
    [[ -n $r && $r == *Desired=running* && $rds != running ]] && continue
    r="${id:0:12} on $([[ $rn == - ]] && echo "(no node yet)" || node_host "$rn") State=$rst Desired=$rds$ready"
  done
  if out=$(dk "$victim" version --format '{{.Server.Version}}' 2>&1); then eng=answers; else
    case $out in *"Cannot connect"*) eng="Cannot connect to the Docker daemon" ;; *"no such file"*) eng="no socket" ;; *) eng="error: $(echo ${out:0:80})" ;; esac
  fi
  echo "node $n | old task $t | replacement ${r:-none} | old addr $a:$port -> $(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://$a:$port/v1/health/ready" || true) | victim engine: $eng | server procs: $(container_pids)"
}
watch_until() { # LIMIT CONDITION-REGEX...: print changes until the line matches all regexes
  local limit=$1 last="" line t_start; shift
  t_start=$(now)
  while :; do
    line=$(observe)
    if [[ $line != "$last" ]]; then printf '+%6.1fs  %s\n' "$(elapsed "$t0" "$(now)")" "$line"; last=$line; fi
    local ok=1 re
    for re in "$@"; do [[ $line =~ $re ]] || ok=0; done
    ((ok)) && return 0
    (($(awk -v a="$t_start" -v b="$(now)" -v l="$limit" 'BEGIN { print (b - a > l) }'))) && { log "stopped watching after $limit s"; return 0; }
    sleep "$POLL"
  done
}

echo "== after SIGKILL of $victim_host's dockerd (t=0), polling every ${POLL}s"
watch_until "$DOWN_LIMIT" '^node down' 'replacement .* State=running Desired=running ready=200'
echo "-- service ps:"; dk 0 service ps --no-trunc --format '{{.ID}} {{.Node}} desired={{.DesiredState}} current="{{.CurrentState}}" err="{{.Error}}"' "$SERVICE"
echo "-- task inspect of the old task:"
dk 0 inspect --type task --format '{{json .Status}} DesiredState={{.DesiredState}}' "$old_task"

echo "== restarting $victim_host's dockerd (t=$(elapsed "$t0" "$(now)") s)"
t_restart=$(now)
bash "$HERE/cluster.sh" start-engine "$victim" 2>&1 | sed 's/^/  /'
log "engine answers after $(elapsed "$t_restart" "$(now)") s"
watch_until 60 '^node ready' 'old addr [^ ]* -> 000' 'State=(shutdown|complete|failed|orphaned)'
echo "-- service ps:"; dk 0 service ps --no-trunc --format '{{.ID}} {{.Node}} desired={{.DesiredState}} current="{{.CurrentState}}" err="{{.Error}}"' "$SERVICE"
echo "-- old container on $victim_host: $(dk "$victim" ps -a --filter "label=com.docker.swarm.task.id=$old_task" --format '{{.ID}} {{.Status}}')"
kill "$events_pid" 2>/dev/null || true
echo "-- manager events (node, service), seconds from the SIGKILL:"
awk -v t0="$t0" '{ printf "  +%6.2fs  %s\n", $1 / 1e9 - t0, substr($0, index($0, " ") + 1) }' "$EVENTS" | cut -c1-240
rm -f "$EVENTS"
remove_service "$SERVICE"
