#!/usr/bin/env bash
# iperf3 throughput from a namespace to a server on the host, through MODE, up (namespace sends) and down (-R).
# Usage: throughput.sh MODE [REPS=3] [SECONDS=5]. Prints RESULT lines in Gbit/s (receiver side).
source "$(dirname "$0")/lib.sh"
mode=${1:?mode}; reps=${2:-3}; secs=${3:-5}
e2e_setup "$mode"
port=$(e2e_port)
e2e_bg iperf3 -s -B "$E2E_BIND" -p "$port" >"$E2E_LOG/iperf3-server.log" 2>&1
e2e_listening "$port"
gbps() { python3 -c 'import json,sys; print(f"{json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9:.2f}")'; }
e2e_in timeout 30 iperf3 -c "$E2E_HOST" -p "$port" -t 2 >/dev/null   # warm-up (JIT, caches)
for r in $(seq "$reps"); do
  e2e_result throughput_up_gbps "$mode" "$(e2e_in timeout $((secs + 25)) iperf3 -c "$E2E_HOST" -p "$port" -t "$secs" -J | gbps)"
  e2e_result throughput_down_gbps "$mode" "$(e2e_in timeout $((secs + 25)) iperf3 -c "$E2E_HOST" -p "$port" -t "$secs" -R -J | gbps)"
done
