# Shared by smoke.sh and failover.sh (sourced, not run).
REPO="$(cd "$HERE/../.." && pwd)"
NET=10.77.0
REGISTRY=$NET.1:5000
BASE_PORT=${TUNE_PORT:-18500}
MODEL_DIR=${MODEL_DIR:-$REPO/.cache/models/gan/fp32}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
sock() { echo "unix:///run/tune-node-$1/docker.sock"; }
dk() { local i=$1; shift; docker -H "$(sock "$i")" "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

dk 0 info >/dev/null 2>&1 || die "the bed is not up: bench/swarm-nodes/cluster.sh up"
TAG=${TUNE_IMAGE_TAG:-$(cat /run/tune-bed/image-tag 2>/dev/null || true)}
[[ -n $TAG ]] || die "no image tag recorded in /run/tune-bed/image-tag"
IMAGE=$REGISTRY/tune-server:$TAG

if [[ ! -f $MODEL_DIR/manifest.json ]]; then
  log "building the gan model (node bin/tune.mjs models build --model gan --precision fp32)"
  (cd "$REPO" && node bin/tune.mjs models build --model gan --precision fp32 >&2)
fi

# create_service NAME REPLICAS: the service the Swarm backend is expected to create, by plain docker.
# SERVICE_ARGS: more `docker service create` flags, split on spaces (e.g. "--restart-delay 0s").
create_service() {
  dk 0 service create --detach --quiet --name "$1" --replicas "$2" \
    --constraint node.labels.tune.pool==bench \
    --network host \
    --mount "type=bind,src=$MODEL_DIR,dst=/models/gan,readonly" \
    --mount type=tmpfs,dst=/tmp \
    --read-only --user 10001:10001 \
    --env TUNE_MODEL_DIR=/models/gan --env TUNE_MODEL_NAME=gan \
    --env TUNE_HOST=$NET.0/24 --env "TUNE_PORT=$BASE_PORT" --env 'TUNE_PORT_SLOT={{.Task.Slot}}' \
    --label tune.bed=smoke ${SERVICE_ARGS:-} \
    "$IMAGE" >/dev/null
}

# task_rows SERVICE [DESIRED]: "taskid slot nodeid state" per task (desired state running by default).
task_rows() {
  local ids
  ids=$(dk 0 service ps -q --filter "desired-state=${2:-running}" "$1")
  [[ -z $ids ]] || dk 0 inspect --type task --format '{{.ID}} {{.Slot}} {{.NodeID}} {{.Status.State}}' $ids
}
wait_running() { # SERVICE COUNT TIMEOUT
  local t=0
  until [[ $(task_rows "$1" | awk '$4 == "running"' | wc -l) -ge $2 ]]; do
    t=$((t + 1)); ((t > $3 * 2)) && { task_rows "$1" >&2; dk 0 service ps --no-trunc "$1" >&2; die "tasks of $1 not running after $3 s"; }
    sleep 0.5
  done
}
node_addr() { dk 0 node inspect --format '{{.Status.Addr}}' "$1"; }
node_host() { dk 0 node inspect --format '{{.Description.Hostname}}' "$1"; }
# wait_ready ADDR PORT TIMEOUT: prints the time it answered 200.
wait_ready() {
  local t=0
  until [[ $(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://$1:$2/v1/health/ready") == 200 ]]; do
    t=$((t + 1)); ((t > $3 * 4)) && return 1
    sleep 0.25
  done
  now
}

# remove_service NAME: `service rm` returns at once, while the tasks' containers are still stopping (and holding their
# ports: a new service on the same node and port then fails with exit 1, EADDRINUSE). Waits until they are gone.
remove_service() {
  local name=$1 t=0 i left
  dk 0 service rm "$name" >/dev/null
  while :; do
    left=0
    for i in $(nodes_of_bed); do
      [[ -z $(dk "$i" ps -aq --filter "label=com.docker.swarm.service.name=$name" 2>/dev/null) ]] || left=1
    done
    ((left == 0)) && break
    t=$((t + 1)); ((t > 120)) && { log "containers of $name still there after 30 s"; break; }
    sleep 0.25
  done
  log "service $name removed; its containers were gone $(awk -v t="$t" 'BEGIN { printf "%.2f", t / 4 }') s later"
}
nodes_of_bed() { local d; for d in /run/tune-node-*/docker.sock; do if [[ -S $d ]]; then d=${d%/docker.sock}; echo "${d##*-}"; fi; done; }
