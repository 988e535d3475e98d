#!/usr/bin/env python3
"""Start-up of bin/tungate beside the same jar started without the class-data-sharing archive.

    sudo benchmarks/e2e/startup.py [RUNS]        (default 9; `exec -- true` needs root)

Runs the two alternately, RUNS times each, for `exec -- true` and `--version`, and prints the medians of
wall-clock and CPU time (user + system) with their ratios. Shared machines: read the ratios.
"""
import os, resource, statistics, subprocess, sys, time

home = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
jar = os.path.join(home, "modules/gateway/target/tungate.jar")
with_cds = [os.path.join(home, "bin/tungate")]
without_cds = ["java", "--enable-native-access=ALL-UNNAMED", "-jar", jar]
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9


def once(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=60)
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


for args in (["exec", "--", "true"], ["--version"]):
    base, cds = [], []
    for _ in range(runs):
        base.append(once(without_cds + args))
        cds.append(once(with_cds + args))
    for i, what in ((0, "wall"), (1, "cpu")):
        b = statistics.median(x[i] for x in base)
        c = statistics.median(x[i] for x in cds)
        print(f"{' '.join(args):14} {what:4}  without archive {b * 1000:6.0f} ms  bin/tungate {c * 1000:6.0f} ms  ratio {c / b:.2f}")
