#!/usr/bin/env bash
# The multi-node check of tune's Swarm backend, on the bed (cluster.sh up 2 first): a gan study with two trials
# in flight on two worker nodes, each trial on a node of its own; one worker's engine is SIGKILLed in the middle
# of a trial, which must fail that trial (node_down or engine_unreachable) while the study finishes on the other
# node. Prints the rows (trial, state, failure, node, start, end) and checks that no two trials in flight shared
# a node. Usage: bench/swarm-nodes/study.sh [BUDGET] (default 8).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
cd "$REPO"

BUDGET=${1:-8}
DB=$(mktemp -d /tmp/tune-multinode.XXXXXX)/study.db
STUDY=multinode-$$
export DOCKER_HOST=$(sock 0)

[[ $(dk 0 node ls -q --filter role=worker | wc -l) -ge 2 ]] || die "the bed needs two workers: bench/swarm-nodes/cluster.sh up 2"
log "study $STUDY in $DB: budget $BUDGET, --parallel 2 on the workers"
started=$(now)
node bin/tune.mjs --model gan --concurrency 2 --budget "$BUDGET" --seed 1 --duration 5 --warmup 1 \
  --space support/spaces/gan-one-cpu.json --backend swarm --parallel 2 --nodes tune.pool=bench \
  --registry 10.77.0.1:5000 --bind 10.77.0.0/24 --confirm 0 --name "$STUDY" --db "$DB" 2> >(tee "$DB.log" >&2) &
tune=$!

# Wait for the third trial to run on a worker, then kill that worker's engine under it.
victim=''
for _ in $(seq 600); do
  line=$(dk 0 service ps --filter desired-state=running --format '{{.Name}} {{.Node}} {{.CurrentState}}' $(dk 0 service ls -q --filter label=tune.study="$STUDY" 2>/dev/null) 2>/dev/null | grep -E -- '-t2\.1 .* Running' | head -1 || true)
  if [[ -n $line ]]; then victim=$(awk '{print $2}' <<<"$line"); break; fi
  sleep 0.5
done
[[ -n $victim ]] || die "trial 2 never ran"
sleep 3
index=${victim##*-}
log "SIGKILL the engine of $victim (node $index) while trial 2 runs on it"
kill -KILL "$(cat "/run/tune-node-$index/docker.pid")"
killed=$(now)
code=0
wait "$tune" || code=$?
log "tune exited $code after $(elapsed "$started" "$(now)") s ($(elapsed "$killed" "$(now)") s after the kill)"

node -e '
const rows = new (require("better-sqlite3"))(process.argv[1], { readonly: true })
  .prepare("SELECT number, state, failure_kind, substr(failure_message, 1, 110) AS why, nodes, started_at, ready_at, finished_at, mean_ms FROM trials ORDER BY number").all();
console.table(rows.map((r) => ({ trial: r.number, state: r.state, failure: r.failure_kind ?? "", node: r.nodes ?? "", mean_ms: r.mean_ms?.toFixed(1) ?? "", start: r.started_at.slice(11, 19), ready: (r.ready_at ?? "").slice(11, 19), end: (r.finished_at ?? "").slice(11, 19), why: r.why ?? "" })));
// From ready to finished a trial held its nodes (before, it may have waited for one to come free).
const overlap = (a, b) => a.ready_at && b.ready_at && a.ready_at < b.finished_at && b.ready_at < a.finished_at;
const shared = rows.flatMap((a, i) => rows.slice(i + 1).filter((b) => overlap(a, b) && a.nodes && b.nodes && a.nodes.split(",").some((n) => b.nodes.split(",").includes(n))).map((b) => `${a.number}&${b.number}`));
console.log(shared.length === 0 ? "no two trials in flight shared a node" : `trials in flight that shared a node: ${shared.join(", ")}`);
' "$DB"
log "restarting the engine of $victim"
bash "$HERE/cluster.sh" start-engine "$index" >/dev/null 2>&1 || log "restart failed: run cluster.sh up 2"
left=$(dk 0 service ls -q --filter label=tune.study="$STUDY" | wc -l)
log "services of the study left on the swarm: $left"
