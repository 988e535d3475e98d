#!/usr/bin/env bash
# TCP_RR-like latency: one connection, one-byte ping-pong between a namespace and an echo server on the host,
# through MODE. Usage: latency.sh MODE [REPS=3] [N=5000]. Prints RESULT lines: median and p99 round trip in us.
source "$(dirname "$0")/lib.sh"
mode=${1:?mode}; reps=${2:-3}; n=${3:-5000}
e2e_setup "$mode"
port=$(e2e_port)
e2e_bg python3 "$E2E_DIR/tcp_bench.py" server "$E2E_BIND" "$port"
e2e_listening "$port"
e2e_in python3 "$E2E_DIR/tcp_bench.py" rr "$E2E_HOST" "$port" 500 >/dev/null   # warm-up
for r in $(seq "$reps"); do
  out=$(e2e_in timeout 60 python3 "$E2E_DIR/tcp_bench.py" rr "$E2E_HOST" "$port" "$n")
  read -r median p99 <<<"$out"
  e2e_result rr_median_us "$mode" "$median"
  e2e_result rr_p99_us "$mode" "$p99"
done
