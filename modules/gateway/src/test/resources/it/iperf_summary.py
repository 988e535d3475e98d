#!/usr/bin/env python3
"""Reads iperf3 -J output on stdin; prints "gbps=<receiver Gbit/s> intervals=<n> stalled=<intervals of >= 0.5 s with 0 bytes>"
and exits 1 when iperf3 reported an error."""
import json
import sys

report = json.load(sys.stdin)
if "error" in report:
    sys.exit("iperf3: " + report["error"])
intervals = report.get("intervals", [])
# iperf3 may close with a sliver of an interval (a few ms) that carries nothing; only whole seconds count.
stalled = sum(1 for i in intervals if i["sum"]["bytes"] == 0 and i["sum"]["seconds"] >= 0.5)
gbps = report["end"]["sum_received"]["bits_per_second"] / 1e9
print(f"gbps={gbps:.3f} intervals={len(intervals)} stalled={stalled}")
