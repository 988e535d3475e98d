# Sourced by the end-to-end scripts. e2e_setup MODE gives one namespace its network through MODE:
#   kernel       a veth pair to the root namespace (the physical limit: the kernel forwards, no userspace)
#   pasta        pasta attached to the namespace, its gateway address mapped to host loopback
#   slirp4netns  slirp4netns --configure --mtu=65520 on the namespace (10.0.2.2 is host loopback)
#   tungate      bin/tungate run --netns (10.0.2.2 is host loopback)
# and sets E2E_NS (the namespace), E2E_HOST (where the namespace reaches the host's servers) and E2E_BIND (the
# host address those servers bind). Everything started is killed by PID, and the namespace and veth deleted,
# when the script exits, whatever the reason. Addresses: 10.0.2.0/24 inside the namespace, 198.18.0.0/15 on veth.
set -euo pipefail
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
TUNGATE=${TUNGATE:-$REPO/bin/tungate}
E2E_NS=""
E2E_VETH=""
E2E_PIDS=()
E2E_LOG=$(mktemp -d /tmp/tg-e2e-XXXXXX)

e2e_cleanup() {
  local pid i
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${E2E_PIDS[@]}"; do
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ -n "$E2E_VETH" ] && ip link del "$E2E_VETH" 2>/dev/null || true
  [ -n "$E2E_NS" ] && ip netns del "$E2E_NS" 2>/dev/null || true
  rm -rf "$E2E_LOG"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

e2e_die() { echo "e2e: $*" >&2; exit 1; }

# Runs "$@" in the background, remembering its PID for the cleanup; E2E_LAST is that PID.
e2e_bg() {
  "$@" &
  E2E_LAST=$!
  E2E_PIDS+=("$E2E_LAST")
}

# Polls (at most 30 s) until the shell condition "$1" holds.
e2e_await() {
  local i
  for i in $(seq 300); do eval "$1" && return 0; sleep 0.1; done
  e2e_die "timed out waiting for: $1"
}

e2e_in() { ip netns exec "$E2E_NS" "$@"; }

e2e_setup() {
  local mode=$1 net=$(( $$ % 250 + 1 ))
  E2E_NS=tg-e2e-$$-$mode
  ip netns add "$E2E_NS"
  ip -n "$E2E_NS" link set lo up
  case $mode in
    kernel)
      E2E_VETH=tge2e$(( $$ % 100000 ))
      ip link add "$E2E_VETH" type veth peer name "${E2E_VETH}n"
      ip link set "${E2E_VETH}n" netns "$E2E_NS"
      ip addr add "198.18.$net.1/24" dev "$E2E_VETH"
      ip link set "$E2E_VETH" up
      ip -n "$E2E_NS" addr add "198.18.$net.2/24" dev "${E2E_VETH}n"
      ip -n "$E2E_NS" link set "${E2E_VETH}n" up
      ip -n "$E2E_NS" route add default via "198.18.$net.1"
      E2E_HOST=198.18.$net.1 E2E_BIND=198.18.$net.1 ;;
    pasta)
      e2e_bg pasta --runas 0 -f -q -4 --config-net -a 10.0.2.100 -n 24 -g 10.0.2.2 -T none -U none \
        --netns "$E2E_NS" >"$E2E_LOG/pasta.log" 2>&1
      E2E_HOST=10.0.2.2 E2E_BIND=127.0.0.1 ;;
    slirp4netns)
      e2e_bg slirp4netns --configure --mtu=65520 --netns-type=path "/run/netns/$E2E_NS" tap0 \
        >"$E2E_LOG/slirp4netns.log" 2>&1
      E2E_HOST=10.0.2.2 E2E_BIND=127.0.0.1 ;;
    tungate)
      e2e_bg "$TUNGATE" run --netns "$E2E_NS" >"$E2E_LOG/tungate.log" 2>&1
      e2e_await "grep -qx ready '$E2E_LOG/tungate.log' || ! kill -0 $E2E_LAST 2>/dev/null"
      kill -0 "$E2E_LAST" 2>/dev/null || e2e_die "tungate exited: $(tail -5 "$E2E_LOG/tungate.log")"
      E2E_HOST=10.0.2.2 E2E_BIND=127.0.0.1 ;;
    *) e2e_die "unknown mode $mode (kernel, pasta, slirp4netns, tungate)" ;;
  esac
  e2e_await "ip -n '$E2E_NS' route show default | grep -q via"
}

# A free TCP port on the host.
e2e_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until something listens on TCP port $1 of the host.
e2e_listening() { e2e_await "ss -Htln 'sport = :$1' | grep -q ."; }

# One result line: RESULT <metric> <mode> <value>, collected by run-e2e.sh.
e2e_result() { echo "RESULT $1 $2 $3"; }
