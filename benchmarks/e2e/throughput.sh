#!/usr/bin/env bash
# iperf3 throughput from a namespace to a server on the host, through MODE, up (namespace sends) and down (-R).
# Usage: throughput.sh MODE [REPS=3] [SECONDS=5]. Prints RESULT lines in Gbit/s (receiver side).
source "$(dirname "$0")/lib.sh"
mode=${1:?mode}; reps=${2:-3}; secs=${3:-5}
e2e_setup "$mode"
port=$(e2e_port)
e2e_bg iperf3 -s -B "$E2E_BIND" -p "$port" >"$E2E_LOG/iperf3-server.log" 2>&1
e2e_listening "$port"
# Receiver-side Gbit/s of one iperf3 run; extra arguments go to iperf3 (-R for down).
gbps() {
  local json
  json=$(e2e_in timeout $((secs + 25)) iperf3 -c "$E2E_HOST" -p "$port" -t "$secs" -J "$@") || e2e_die "iperf3 $*: $json"
  python3 -c 'import json, sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))' <<<"$json"
}
e2e_in timeout 30 iperf3 -c "$E2E_HOST" -p "$port" -t 2 >/dev/null   # warm-up (JIT, caches)
for r in $(seq "$reps"); do
  up=$(gbps); e2e_result throughput_up_gbps "$mode" "$up"
  down=$(gbps -R); e2e_result throughput_down_gbps "$mode" "$down"
done
