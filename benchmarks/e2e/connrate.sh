#!/usr/bin/env bash
# Short connections per second from a namespace to an echo server on the host, through MODE: each connection is
# connect, one byte each way, close. Usage: connrate.sh MODE [REPS=3] [N=2000]. Prints RESULT lines in conns/s.
source "$(dirname "$0")/lib.sh"
mode=${1:?mode}; reps=${2:-3}; n=${3:-2000}
e2e_setup "$mode"
port=$(e2e_port)
e2e_bg python3 "$E2E_DIR/tcp_bench.py" server "$E2E_BIND" "$port"
e2e_listening "$port"
e2e_in python3 "$E2E_DIR/tcp_bench.py" connrate "$E2E_HOST" "$port" 200 10 >/dev/null   # warm-up
for r in $(seq "$reps"); do
  rate=$(e2e_in timeout 60 python3 "$E2E_DIR/tcp_bench.py" connrate "$E2E_HOST" "$port" "$n" 20)
  e2e_result connrate_per_s "$mode" "$rate"
done
