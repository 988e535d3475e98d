package dev.tungate.tcp.sim;

import java.util.SplittableRandom;

/**
 * One direction of the emulated path, netem-like: a bottleneck of {@code bytesPerSecond} with a
 * drop-tail queue, then propagation delay plus uniform jitter (which reorders, as netem's does),
 * extra delay for a fraction of packets (reordering), loss, duplication and corruption. A
 * corrupted segment would fail the receiver's checksum, so it is dropped and counted separately.
 */
final class SimLink {
    private final Simulation sim;
    private final Scenario.Link p;
    private final SplittableRandom rnd;
    private final String name;
    private SimHost to;
    /** When the bottleneck finishes sending what it holds. */
    private long busyUntilNanos;

    long sent;
    long lost;
    long corrupted;
    long duplicated;
    long reordered;
    long queueDrops;
    long ceMarked;

    SimLink(Simulation sim, Scenario.Link p, long seed, String name) {
        this.sim = sim;
        this.p = p;
        this.rnd = new SplittableRandom(seed);
        this.name = name;
    }

    void connectTo(SimHost host) {
        this.to = host;
    }

    void transmit(Packet pkt) {
        long now = sim.now();
        sent++;
        if (p.corrupt() > 0 && rnd.nextDouble() < p.corrupt()) {
            corrupted++;
            sim.trace(name, pkt, "corrupted, dropped as by checksum");
            return;
        }
        if (p.loss() > 0 && rnd.nextDouble() < p.loss()) {
            lost++;
            sim.trace(name, pkt, "lost");
            return;
        }
        if (p.ceMark() > 0 && (pkt.ecn == 1 || pkt.ecn == 2) && rnd.nextDouble() < p.ceMark()) {
            ceMarked++;
            pkt = pkt.congestionExperienced();
        }
        long departs = now;
        if (p.bytesPerSecond() > 0) {
            long start = Math.max(now, busyUntilNanos);
            long backlogBytes = (start - now) * p.bytesPerSecond() / 1_000_000_000L;
            if (backlogBytes + pkt.wireBytes() > p.queueBytes()) {
                queueDrops++;
                sim.trace(name, pkt, "queue full, dropped");
                return;
            }
            busyUntilNanos = start + pkt.wireBytes() * 1_000_000_000L / p.bytesPerSecond();
            departs = busyUntilNanos;
        }
        long arrives = departs + p.delayNanos() + jitter();
        if (p.reorder() > 0 && rnd.nextDouble() < p.reorder()) {
            reordered++;
            arrives += rnd.nextLong(1, 2 * p.delayNanos() + 2);
        }
        if (sim.tracing()) {
            sim.trace(name, pkt, "arrives at " + Simulation.millis(arrives));
        }
        Packet delivered = pkt;
        sim.at(arrives, () -> to.arrive(delivered));
        if (p.duplicate() > 0 && rnd.nextDouble() < p.duplicate()) {
            duplicated++;
            long again = arrives + jitter() + rnd.nextLong(0, 1_000_000);
            if (sim.tracing()) {
                sim.trace(name, pkt, "duplicated, copy arrives at " + Simulation.millis(again));
            }
            sim.at(again, () -> to.arrive(delivered));
        }
    }

    private long jitter() {
        return p.jitterNanos() == 0 ? 0 : rnd.nextLong(0, p.jitterNanos() + 1);
    }

    String stats() {
        return name + ": sent=" + sent + " lost=" + lost + " corrupted=" + corrupted + " queueDrops=" + queueDrops
                + " duplicated=" + duplicated + " reordered=" + reordered + " ceMarked=" + ceMarked;
    }
}
