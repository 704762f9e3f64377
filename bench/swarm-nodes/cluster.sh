#!/usr/bin/env bash
# A multi-node Docker Swarm test bed on one machine: N+1 docker engines, each in its own network namespace,
# fully separate from the main engine (/var/run/docker.sock), plus a registry the nodes pull from.
#
#   cluster.sh up [N]   N workers (default 3) + a manager; idempotent (a second `up` checks and repairs)
#   cluster.sh down     removes everything `up` made and checks that the machine is as found
#   cluster.sh status   nodes, engines, registry
#   cluster.sh start-engine I   (re)starts node I's dockerd (after a failure test killed it)
#
# Layout (see README.md):
#   root ns: tune-up0 10.77.0.1/24 (the registry listens on 10.77.0.1:5000 only)
#        |  veth
#   ns tune-hub: bridge tune-br0 ── veth tune-v<i> ── ns tune-node-<i>: eth0 10.77.0.(10+i)/24, lo
# The bridge lives in its own namespace, not the root one: the root namespace's iptables FORWARD policy is DROP
# (the main dockerd's) and br_netfilter (bridge-nf-call-iptables=1) sends bridged frames through it, so node-to-
# node traffic (a worker joining the manager on :2377) would be dropped on a root-namespace bridge. The hub's own
# netfilter tables are empty, and nothing here touches the root namespace's iptables or sysctls.
#
# Environment: TUNE_IMAGE_TAG (default: the tag of tune-server:latest on the main engine, after
# `node bin/tune.mjs image build`), TUNE_SKIP_IMAGE_BUILD=1, KEEP_LOGS=1 (down keeps /var/log/tune-node-*.log).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
STATE=/run/tune-bed
HUB=tune-hub
BRIDGE=tune-br0
UPLINK=tune-up0
NET=10.77.0
REG_HOST=$NET.1
REGISTRY=$REG_HOST:5000
REG_DIR=/run/tune-registry

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
sock() { echo "unix:///run/tune-node-$1/docker.sock"; }
dk() { local i=$1; shift; docker -H "$(sock "$i")" "$@"; }
addr() { echo "$NET.$((10 + $1))"; }
# (No `cmd | grep -q` here: with pipefail, grep's early exit can make the pipeline fail by SIGPIPE.)
has_netns() { [[ -e /run/netns/$1 ]] || [[ " $(ip netns list 2>/dev/null | awk '{print $1}' | paste -sd' ') " == *" $1 "* ]]; }
answers() { dk "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# True when pid $1 is alive and its command line contains $2 (so a stale pidfile never kills a stranger).
pid_matches() {
  local pid=$1 pattern=$2
  [[ "$pid" =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *"$pattern"* ]]
}
# TERM, wait up to $3 s, then KILL; only if the pid still matches.
stop_pid() {
  local pid=$1 pattern=$2 wait_s=${3:-20} t=0
  pid_matches "$pid" "$pattern" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_matches "$pid" "$pattern" && ((t < wait_s * 10)); do sleep 0.1; t=$((t + 1)); done
  if pid_matches "$pid" "$pattern"; then log "pid $pid ($pattern) ignored TERM; KILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; fi
}
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2 t=0; shift 2
  until "$@"; do
    t=$((t + 1)); ((t > limit * 5)) && die "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}
bed_nodes() { # every node index that has any trace on the machine
  { ip netns list 2>/dev/null | awk '{print $1}' | sed -n 's/^tune-node-\([0-9]\+\)$/\1/p'
    for d in /run/tune-node-* /var/lib/tune-node-*; do if [[ -e $d ]]; then echo "${d##*-}"; fi; done
  } | sort -nu
}

# ---------------------------------------------------------------- network
ensure_network() {
  local n=$1 i
  mkdir -p "$STATE"
  # iproute2 turns /run/netns into a shared bind mount on the first `ip netns add`; undo that at down if we caused it.
  if [[ ! -e $STATE/netns-mount ]]; then
    if mountpoint -q /run/netns 2>/dev/null; then echo preexisting >"$STATE/netns-mount"; else echo ours >"$STATE/netns-mount"; fi
    [[ -d /run/containerd ]] && echo preexisting >"$STATE/run-containerd" || echo ours >"$STATE/run-containerd"
  fi
  has_netns "$HUB" || ip netns add "$HUB"
  ip -n "$HUB" link set lo up
  ip -n "$HUB" link show "$BRIDGE" >/dev/null 2>&1 || ip -n "$HUB" link add "$BRIDGE" type bridge
  ip -n "$HUB" link set "$BRIDGE" up
  if ! ip link show "$UPLINK" >/dev/null 2>&1; then
    ip link add "$UPLINK" type veth peer name up0 netns "$HUB"
  fi
  ip -n "$HUB" link set up0 master "$BRIDGE" up
  [[ $(ip addr show dev "$UPLINK") == *"inet $REG_HOST/24"* ]] || ip addr add "$REG_HOST/24" dev "$UPLINK"
  ip link set "$UPLINK" up
  for ((i = 0; i <= n; i++)); do
    local ns=tune-node-$i
    has_netns "$ns" || ip netns add "$ns"
    ip -n "$ns" link set lo up
    if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
      ip -n "$HUB" link add "tune-v$i" type veth peer name eth0 netns "$ns"
    fi
    ip -n "$HUB" link set "tune-v$i" master "$BRIDGE" up
    [[ $(ip -n "$ns" addr show dev eth0) == *"inet $(addr "$i")/24"* ]] || ip -n "$ns" addr add "$(addr "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
}

# ---------------------------------------------------------------- engines
# `ip netns exec` remounts /sys for the namespace, which hides the cgroup mounts dockerd needs; the wrapper
# mounts the same hierarchies again inside that (private) mount namespace before exec'ing dockerd.
cgroup_remounts() {
  echo 'mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup'
  findmnt -R /sys/fs/cgroup -n -r -o TARGET,FSTYPE,OPTIONS | while read -r target fstype opts; do
    case $fstype in
      cgroup) echo "mkdir -p $target && mount -t cgroup -o ${opts#rw,relatime,} cgroup $target" ;;
      cgroup2) echo "mkdir -p $target && mount -t cgroup2 cgroup2 $target" ;;
    esac
  done
}

launch_engine() {
  local i=$1 run=/run/tune-node-$i
  if answers "$i"; then return 0; fi
  if [[ -f $run/docker.pid ]] && pid_matches "$(cat "$run/docker.pid")" "$run/docker.pid"; then return 0; fi # starting
  mkdir -p "$run" "/var/lib/tune-node-$i"
  # Its own config file, so /etc/docker/daemon.json (the main engine's) is not read, and its own engine key.
  printf '{ "deprecated-key-path": "/var/lib/tune-node-%s/key.json" }\n' "$i" >"$run/daemon.json"
  local cmd
  cmd="set -e; hostname tune-node-$i; $(cgroup_remounts | paste -sd';'); exec dockerd \
--config-file $run/daemon.json --data-root /var/lib/tune-node-$i --exec-root $run/exec --pidfile $run/docker.pid \
-H $(sock "$i") --bridge none --iptables=false --ip-masq=false --ip6tables=false --insecure-registry $REGISTRY"
  log "starting dockerd of tune-node-$i"
  setsid ip netns exec "tune-node-$i" unshare --uts sh -c "$cmd" >>"/var/log/tune-node-$i.log" 2>&1 </dev/null &
}
start_engines() {
  local n=$1 i
  for ((i = 0; i <= n; i++)); do launch_engine "$i"; done
  for ((i = 0; i <= n; i++)); do wait_for 90 "dockerd of tune-node-$i (see /var/log/tune-node-$i.log)" answers "$i"; done
}

# ---------------------------------------------------------------- swarm
swarm_state() { dk "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }
ensure_swarm() {
  local n=$1 i
  if [[ $(swarm_state 0) != active ]]; then
    log "swarm init on tune-node-0"
    dk 0 swarm init --advertise-addr "$(addr 0)" --listen-addr "$(addr 0):2377" >/dev/null
  fi
  local token
  token=$(dk 0 swarm join-token -q worker)
  for ((i = 1; i <= n; i++)); do
    if [[ $(swarm_state "$i") != active ]]; then
      log "tune-node-$i joins as a worker"
      dk "$i" swarm join --token "$token" --advertise-addr "$(addr "$i")" --listen-addr "$(addr "$i"):2377" "$(addr 0):2377" >/dev/null
    fi
  done
  for ((i = 0; i <= n; i++)); do
    local id
    id=$(dk "$i" info --format '{{.Swarm.NodeID}}')
    if ((i == 0)); then
      dk 0 node update --label-add "tune.engine=$(sock 0)" "$id" >/dev/null
    else
      dk 0 node update --label-add "tune.engine=$(sock "$i")" --label-add tune.pool=bench "$id" >/dev/null
    fi
  done
  wait_for 60 "all $((n + 1)) nodes Ready" nodes_ready "$n"
}
nodes_ready() { [[ $(dk 0 node ls --format '{{.Status}}' | grep -c '^Ready$') -ge $(($1 + 1)) ]]; }

# ---------------------------------------------------------------- registry
registry_up() { curl -sf -m 2 "http://$REGISTRY/v2/" >/dev/null; }
ensure_registry() {
  if ! command -v docker-registry >/dev/null; then
    log "installing Debian's docker-registry"
    local made_policy=0
    # Keep the package from starting its own service (it would listen on :5000 on every interface).
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-registry >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-registry >/dev/null; }
    ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  fi
  # The Debian service, if it was started anyway: stop and disable it (we run the binary with our own config).
  if [[ -f /run/docker-registry.pid ]] && pid_matches "$(cat /run/docker-registry.pid)" docker-registry; then
    log "stopping the Debian docker-registry service"
    /etc/init.d/docker-registry stop >/dev/null 2>&1 || stop_pid "$(cat /run/docker-registry.pid)" docker-registry
  fi
  update-rc.d docker-registry disable >/dev/null 2>&1 || true
  if registry_up && [[ -f $REG_DIR/pid ]] && pid_matches "$(cat "$REG_DIR/pid")" "$REG_DIR/config.yml"; then return 0; fi
  mkdir -p "$REG_DIR"
  local storage
  storage=$(cat "$REG_DIR/storage" 2>/dev/null || true)
  [[ -n $storage && -d $storage ]] || { storage=$(mktemp -d /tmp/tune-registry.XXXXXX); echo "$storage" >"$REG_DIR/storage"; }
  cat >"$REG_DIR/config.yml" <<EOF
version: 0.1
log:
  level: info
  fields:
    service: tune-registry
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  log "starting the registry on $REGISTRY (storage $storage)"
  setsid sh -c "echo \$\$ >$REG_DIR/pid; exec docker-registry serve $REG_DIR/config.yml" >>"$REG_DIR/registry.log" 2>&1 </dev/null &
  wait_for 20 "the registry on $REGISTRY (see $REG_DIR/registry.log)" registry_up
}

# ---------------------------------------------------------------- image
image_tag() {
  if [[ -n ${TUNE_IMAGE_TAG:-} ]]; then echo "$TUNE_IMAGE_TAG"; return; fi
  if [[ ${TUNE_SKIP_IMAGE_BUILD:-0} != 1 ]]; then
    (cd "$REPO" && node bin/tune.mjs image build >&2) || log "warning: tune image build failed; using the newest tune-server image"
  fi
  local id
  id=$(docker image inspect --format '{{.Id}}' tune-server:latest 2>/dev/null) || die "no tune-server:latest on the main engine: run node bin/tune.mjs image build"
  docker images tune-server --no-trunc --format '{{.Tag}} {{.ID}}' | awk -v id="$id" '$2 == id && $1 != "latest" {print $1; exit}'
}
registry_has() { curl -sf -m 5 -o /dev/null -I -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REGISTRY/v2/$1/manifests/$2"; }
ensure_image() {
  local tag
  tag=$(image_tag)
  [[ -n $tag ]] || die "could not find the tag of tune-server:latest"
  echo "$tag" >"$STATE/image-tag"
  local main_id node_id
  main_id=$(docker image inspect --format '{{.Id}}' "tune-server:$tag")
  node_id=$(dk 0 image inspect --format '{{.Id}}' "tune-server:$tag" 2>/dev/null || true)
  if [[ $main_id != "$node_id" ]]; then
    log "docker save tune-server:$tag | load on tune-node-0"
    docker save "tune-server:$tag" | dk 0 load >/dev/null
  fi
  if ! registry_has tune-server "$tag"; then
    log "push $REGISTRY/tune-server:$tag from tune-node-0"
    dk 0 tag "tune-server:$tag" "$REGISTRY/tune-server:$tag"
    dk 0 push "$REGISTRY/tune-server:$tag" >/dev/null
  fi
  if [[ -z $(dk 1 images -q "$REGISTRY/tune-server:$tag" 2>/dev/null) ]]; then
    log "pull check on tune-node-1"
    dk 1 pull -q "$REGISTRY/tune-server:$tag" >/dev/null
  fi
  log "image $REGISTRY/tune-server:$tag is in the registry and pulls on a worker"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  local n=${1:-3}
  [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 20)) || die "N must be 1..20"
  [[ $(id -u) == 0 ]] || die "run as root"
  local existing
  existing=$(cat "$STATE/workers" 2>/dev/null || true)
  [[ -z $existing || $existing == "$n" ]] || die "the bed is up with $existing workers: run '$0 down' first"
  local t0=$SECONDS
  mkdir -p "$STATE"
  [[ -f $STATE/main-before ]] || main_engine_snapshot >"$STATE/main-before"
  echo "$n" >"$STATE/workers"
  ensure_network "$n"
  start_engines "$n"
  ensure_swarm "$n"
  ensure_registry
  ensure_image
  log "bed up: 1 manager + $n workers in $((SECONDS - t0)) s"
  cmd_status
}

cmd_start_engine() {
  local i=${1:?node index}
  launch_engine "$i"
  wait_for 90 "dockerd of tune-node-$i" answers "$i"
}

cmd_status() {
  echo "== nodes (manager tune-node-0, $(sock 0))"
  if answers 0; then
    dk 0 node ls --format 'table {{.ID}}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}'
    dk 0 node ls -q | xargs -r docker -H "$(sock 0)" node inspect --format '{{.Description.Hostname}}  addr={{.Status.Addr}}  labels={{json .Spec.Labels}}'
    echo "== services"; dk 0 service ls
  else
    echo "manager engine not answering"
  fi
  echo "== engines"
  local i
  for i in $(bed_nodes); do
    local pid; pid=$(cat "/run/tune-node-$i/docker.pid" 2>/dev/null || echo -)
    if answers "$i"; then echo "tune-node-$i  dockerd pid $pid  $(addr "$i")  swarm $(swarm_state "$i")"; else echo "tune-node-$i  not answering (pid $pid)"; fi
  done
  echo "== registry $REGISTRY"
  if registry_up; then
    echo "up, pid $(cat "$REG_DIR/pid" 2>/dev/null), storage $(cat "$REG_DIR/storage" 2>/dev/null)"
    echo "catalog: $(curl -s -m 5 "http://$REGISTRY/v2/_catalog")"
    local tag; tag=$(cat "$STATE/image-tag" 2>/dev/null || true)
    [[ -n $tag ]] && echo "tune-server tags: $(curl -s -m 5 "http://$REGISTRY/v2/tune-server/tags/list")"
  else
    echo "down"
  fi
  return 0
}

main_engine_snapshot() {
  echo "swarm: $(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.NodeID}}' 2>/dev/null)"
  docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Status}}' 2>/dev/null | awk '{print $1, $2}' | sort | sed 's/^/container: /'
}

cmd_down() {
  local i nodes
  nodes=$(bed_nodes)
  if [[ -n $nodes ]] && answers 0; then
    local services
    services=$(dk 0 service ls -q 2>/dev/null || true)
    if [[ -n $services ]]; then log "removing services: $(echo $services)"; dk 0 service rm $services >/dev/null || true; fi
  fi
  for i in $nodes; do # containers first, through each engine (clean exits, no orphans)
    if answers "$i"; then
      local c; c=$(dk "$i" ps -aq 2>/dev/null || true)
      [[ -z $c ]] || dk "$i" rm -f $c >/dev/null 2>&1 || true
    fi
  done
  # Engines in parallel: TERM every dockerd, then wait (each also stops the containerd it started).
  local waits=()
  for i in $nodes; do
    local run=/run/tune-node-$i
    if [[ -f $run/docker.pid ]]; then stop_pid "$(cat "$run/docker.pid")" "$run/docker.pid" 30 & waits+=($!); fi
  done
  ((${#waits[@]} == 0)) || wait "${waits[@]}"
  for i in $nodes; do
    local run=/run/tune-node-$i pids p
    if [[ -f $run/exec/containerd/containerd.pid ]]; then stop_pid "$(cat "$run/exec/containerd/containerd.pid")" "$run/exec/containerd" 15; fi
    # Whatever is left of this node's processes (shims, containers of a killed engine): by pid, never by name.
    pids=$(ip netns pids "tune-node-$i" 2>/dev/null || true)
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    [[ -z $pids ]] || sleep 1
    pids=$(ip netns pids "tune-node-$i" 2>/dev/null || true)
    for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
    for p in $(grep -lF "/run/tune-node-$i/" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3 || true); do
      if [[ $p != "$$" ]] && pid_matches "$p" "/run/tune-node-$i/"; then kill -KILL "$p" 2>/dev/null || true; fi
    done
  done
  if [[ -f $REG_DIR/pid ]]; then stop_pid "$(cat "$REG_DIR/pid")" "$REG_DIR/config.yml" 10; fi
  sleep 0.5
  for i in $nodes; do if has_netns "tune-node-$i"; then ip netns del "tune-node-$i"; fi; done
  if has_netns "$HUB"; then ip netns del "$HUB"; fi
  if ip link show "$UPLINK" >/dev/null 2>&1; then ip link del "$UPLINK"; fi
  for i in $nodes; do
    rm -rf "/var/lib/tune-node-$i" "/run/tune-node-$i"
    [[ ${KEEP_LOGS:-0} == 1 ]] || rm -f "/var/log/tune-node-$i.log"
  done
  if [[ -f $REG_DIR/storage ]]; then
    local storage; storage=$(cat "$REG_DIR/storage")
    if [[ $storage == /tmp/tune-registry.* ]]; then rm -rf "$storage"; fi
  fi
  rm -rf "$REG_DIR"
  if [[ $(cat "$STATE/netns-mount" 2>/dev/null) == ours ]] && [[ -z $(ip netns list) ]] && mountpoint -q /run/netns; then
    umount /run/netns && rmdir /run/netns 2>/dev/null || true
  fi
  # Our shims created /run/containerd/s if it was missing; remove it only while empty and while the main
  # engine runs no container (its shims would use the same directory).
  if [[ $(cat "$STATE/run-containerd" 2>/dev/null) == ours ]] && [[ -d /run/containerd ]] && [[ -z $(docker ps -q 2>/dev/null) ]]; then
    find /run/containerd -depth -type d -empty -delete 2>/dev/null || true
  fi
  local before=""
  [[ -f $STATE/main-before ]] && before=$(cat "$STATE/main-before")
  rm -rf "$STATE"
  check_clean "$before"
}

# Prints what is left; non-zero if anything of the bed remains.
check_clean() {
  local before=$1 bad=0
  echo "== clean check"
  local left
  left=$(ip netns list | grep -E '^tune-(node-[0-9]+|hub)\b' || true)
  [[ -z $left ]] && echo "netns: no tune-node-*/tune-hub" || { echo "netns left: $left"; bad=1; }
  if ip link show "$BRIDGE" >/dev/null 2>&1 || ip link show "$UPLINK" >/dev/null 2>&1; then echo "links left: $BRIDGE/$UPLINK"; bad=1; else echo "links: no $BRIDGE, no $UPLINK"; fi
  local d
  d=$(for p in /proc/[0-9]*; do if [[ $(cat "$p/comm" 2>/dev/null) == dockerd ]]; then echo "${p#/proc/}"; fi; done)
  echo "dockerd processes: $(echo $d) (main engine: $(cat /var/run/docker.pid 2>/dev/null))"
  [[ $(echo $d) == "$(cat /var/run/docker.pid 2>/dev/null)" ]] || bad=1
  local strays
  strays=$(grep -lE '/run/tune-(node-[0-9]+|registry)/' /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3 | grep -vx "$$" || true)
  [[ -z $strays ]] && echo "processes of the bed: none" || { echo "processes of the bed left: $strays"; bad=1; }
  local dirs
  dirs=$(compgen -G '/var/lib/tune-node-*' ; compgen -G '/run/tune-node-*' ; compgen -G '/tmp/tune-registry.*' ; [[ -e $REG_DIR ]] && echo "$REG_DIR") || true
  [[ -z $dirs ]] && echo "dirs: none left" || { echo "dirs left: $(echo $dirs)"; bad=1; }
  local now
  now=$(main_engine_snapshot)
  echo "main engine: $(echo "$now" | head -1), $(echo "$now" | grep -c '^container:' || true) containers"
  if [[ -n $before ]]; then
    if [[ $before == "$now" ]]; then echo "main engine: unchanged since up (swarm state and docker ps -a)"; else
      echo "main engine differs from its state at up (the bed never creates anything there; another user may have):"
      diff <(echo "$before") <(echo "$now") || true
    fi
  fi
  ((bad == 0)) && echo "clean" || echo "NOT clean"
  return $bad
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  start-engine) shift; cmd_start_engine "$@" ;;
  *) echo "usage: $0 up [N] | down | status | start-engine I" >&2; exit 2 ;;
esac
