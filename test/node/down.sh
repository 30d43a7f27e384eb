#!/usr/bin/env bash
# Stops the single-node cluster of test/node/up.sh and removes everything it made: pods and
# their processes, containerd and its shims, the control plane, mounts under the state dir,
# network namespaces, the bridge and dummy interfaces, iptables chains (ours, kube-proxy's,
# the kubelet's, the CNI plugins'), kubepods cgroups, /var/log/containers links, sysctls, and
# the state dir itself. Safe to run twice and after a failed start. Only processes whose ids
# up.sh recorded, or that live in the node's kubepods cgroups or serve its containerd socket,
# are signalled.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $EUID -eq 0 ]] || node_die "must run as root"
# One up.sh or down.sh at a time; up.sh holds the lock while it calls us to clear stale state.
exec 8>"$NODE_DIR.lock"
OWN_LOCK=false
if flock -n 8; then
  OWN_LOCK=true
elif [[ "$(tr '\0' ' ' 2>/dev/null </proc/$PPID/cmdline)" != *up.sh* ]]; then
  node_die "up.sh or down.sh is running on $NODE_DIR (lock $NODE_DIR.lock)"
fi
if [[ ! -d "$NODE_DIR" ]]; then
  if $OWN_LOCK; then rm -f "$NODE_DIR.lock"; fi
  node_log "nothing to stop: $NODE_DIR does not exist"
  exit 0
fi
START=$SECONDS
PIDS="$NODE_DIR/pids"

# A recorded pid counts only while it still runs the program it was recorded for (pids recycle).
pid_of() {
  local pid
  [[ -f "$PIDS/$1.pid" ]] && pid="$(cat "$PIDS/$1.pid")" && [[ -n "$pid" ]] &&
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$1" && echo "$pid"
}
# Alive and not a zombie waiting for init to reap it.
alive() { [[ -r "/proc/$1/stat" ]] && ! awk '{exit ($3 == "Z") ? 0 : 1}' "/proc/$1/stat" 2>/dev/null; }
running() { local pid; pid="$(pid_of "$1")" && [[ -n "$pid" ]] && alive "$pid"; }
stop() { # name: TERM, then KILL after 10 s
  local name="$1" pid i
  pid="$(pid_of "$name")" || return 0
  alive "$pid" || { rm -f "$PIDS/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 100; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  alive "$pid" && { node_log "$name did not stop on TERM: KILL"; kill -KILL "$pid" 2>/dev/null; }
  rm -f "$PIDS/$name.pid"
}
CTR=(ctr --address "$CONTAINERD_SOCK" -n k8s.io)

# 1. Pods: let the kubelet tear them down (CNI DEL releases IPs and hostPort rules).
if running kubelet && running kube-apiserver; then
  node_log "deleting pods (the kubelet tears down their sandboxes)"
  "$K8S_BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" delete pods --all --all-namespaces \
    --grace-period=0 --force --wait=false >/dev/null 2>&1
  for ((i = 0; i < 60; i++)); do
    [[ -z "$("${CTR[@]}" tasks ls -q 2>/dev/null)" ]] && break
    sleep 0.5
  done
fi

# 2. Node and control plane processes.
for name in kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$name"; done

# 3. Containers that are still there, then containerd, then shims it left behind.
# Their ids name what they leave outside the state dir when nobody tore them down: the shim
# sockets (/run/containerd/s/sha256(<socket>/k8s.io/<id>)) and the CNI result cache.
mapfile -t task_ids < <(find "$NODE_DIR/containerd/state/io.containerd.runtime.v2.task/k8s.io" \
  "$NODE_DIR/containerd/root/io.containerd.grpc.v1.cri/sandboxes" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -u)
if running containerd; then
  for task in $("${CTR[@]}" tasks ls -q 2>/dev/null); do
    "${CTR[@]}" tasks kill -s SIGKILL "$task" >/dev/null 2>&1
  done
  sleep 0.5
  for task in $("${CTR[@]}" tasks ls -q 2>/dev/null); do "${CTR[@]}" tasks delete -f "$task" >/dev/null 2>&1; done
  for c in $("${CTR[@]}" containers ls -q 2>/dev/null); do "${CTR[@]}" containers delete "$c" >/dev/null 2>&1; done
fi
stop containerd
cgroup_dirs() { find /sys/fs/cgroup -mindepth 1 -maxdepth 3 -type d -name kubepods 2>/dev/null; }
for ((round = 0; round < 3; round++)); do
  victims=()
  for dir in $(cgroup_dirs); do
    while read -r pid; do [[ -n "$pid" ]] && victims+=("$pid"); done < <(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  for proc in /proc/[0-9]*; do # shims serving our socket: containerd-shim-runc-v2 ... -address <socket>
    tr '\0' ' ' 2>/dev/null <"$proc/cmdline" | grep -qE -- "^[^ ]*containerd-shim[^ ]* .*-address $CONTAINERD_SOCK( |\$)" &&
      victims+=("${proc#/proc/}")
  done
  mapfile -t victims < <(printf '%s\n' "${victims[@]}" | grep . | sort -u)
  ((${#victims[@]})) || break
  node_log "killing ${#victims[@]} leftover container/shim processes"
  for pid in "${victims[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  sleep 0.5
done

for id in "${task_ids[@]}"; do
  rm -f "/run/containerd/s/$(printf '%s' "$CONTAINERD_SOCK/k8s.io/$id" | sha256sum | cut -d' ' -f1)" \
    /var/lib/cni/results/*-"$id"-* 2>/dev/null
done

# 4. Mounts under the state dir (rootfs overlays, shm, netns, projected volumes), deepest first.
for ((round = 0; round < 5; round++)); do
  mapfile -t mounts < <(awk -v d="$NODE_DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
  ((${#mounts[@]})) || break
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
done

# 5. kubepods cgroups (cgroupfs driver), deepest first.
for dir in $(cgroup_dirs); do
  find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
  [[ -d "$dir" ]] && node_log "WARNING: could not remove cgroup $dir"
done

# 6. Interfaces (the veths went with their network namespaces).
if [[ -f "$NODE_DIR/links.created" ]]; then
  while read -r link; do
    ip link show "$link" >/dev/null 2>&1 && ip link delete "$link"
  done <"$NODE_DIR/links.created"
fi

# 7. iptables: every KUBE-*, CNI-* and FIELDPROOF-NODE chain that did not exist before up.sh,
#    with the rules that jump to it.
if command -v iptables >/dev/null 2>&1; then
  for table in filter nat mangle; do
    mapfile -t chains < <(iptables -t "$table" -S 2>/dev/null | awk '$1 == "-N" {print $2}' |
      grep -E "^(KUBE-|CNI-|$ISOLATION_CHAIN\$)" |
      grep -vxF -f <(awk -v t="$table" '$1 == t {print $2}' "$NODE_DIR/iptables-chains.before" 2>/dev/null; echo '#none#'))
    ((${#chains[@]})) || continue
    pattern="-j ($(IFS='|'; echo "${chains[*]}"))( |\$)"
    iptables -t "$table" -S | grep -E -- "^-A .*$pattern" | while read -r rule; do
      eval "iptables -t $table ${rule/-A/-D}" 2>/dev/null
    done
    for c in "${chains[@]}"; do iptables -t "$table" -F "$c" 2>/dev/null; done
    for c in "${chains[@]}"; do iptables -t "$table" -X "$c" 2>/dev/null || node_log "WARNING: iptables -t $table -X $c failed"; done
  done
fi

# 8. sysctls back to what they were.
if [[ -f "$NODE_DIR/sysctl.before" ]]; then
  while IFS= read -r kv; do sysctl -qw "$kv"; done <"$NODE_DIR/sysctl.before"
fi

# 9. The kubelet's links in /var/log/containers that point into the state dir.
find /var/log/containers -maxdepth 1 -type l -lname "$NODE_DIR/*" -delete 2>/dev/null

# Fixed paths outside the state dir that up.sh did not find (see up.sh).
if [[ -f "$NODE_DIR/paths.created" ]]; then
  while read -r path; do
    [[ -d "$path" ]] || continue
    [[ "$path" != /var/lib/kubelet ]] || rm -f /var/lib/kubelet/device-plugins/kubelet.sock
    find "$path" -depth -type d -empty -delete 2>/dev/null
    [[ -e "$path" ]] && node_log "WARNING: $path is not empty; left in place"
  done <"$NODE_DIR/paths.created"
fi

# 10. The state dir, once nothing is mounted below it any more.
if awk -v d="$NODE_DIR/" 'index($5, d) == 1 {found = 1} END {exit !found}' /proc/self/mountinfo; then
  node_die "mounts remain under $NODE_DIR; not removing it (see /proc/self/mountinfo)"
fi
rm -rf --one-file-system "$NODE_DIR"
if $OWN_LOCK; then rm -f "$NODE_DIR.lock"; fi
node_log "down in $((SECONDS - START))s: $NODE_DIR removed"
