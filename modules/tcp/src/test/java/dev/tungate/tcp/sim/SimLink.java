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
    /**
     * When positive, scripted tail loss: the packets one engine call emits are a burst, and when the
     * burst ends the sender's queue (PSH) the first copies of its last {@code tailDrop} data
     * segments are lost, before any random impairment.
     */
    int tailDrop;
    /** No random loss, corruption, CE marks, reordering or duplication: only the scripted tail drops (delay, jitter and rate stay). */
    boolean scriptedOnly;
    long tailDropped;
    private final java.util.List<Packet> burst = new java.util.ArrayList<>();
    private final java.util.Set<Integer> tailSeen = new java.util.HashSet<>();
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
        if (tailDrop > 0) {
            if (burst.isEmpty()) {
                sim.at(sim.now(), this::burstEnds);          // runs after the engine call that emits the burst
            }
            burst.add(pkt);
            return;
        }
        impair(pkt);
    }

    private void burstEnds() {
        int toDrop = 0;
        for (int i = burst.size() - 1; i >= 0; i--) {
            if (burst.get(i).text.length > 0) {
                toDrop = (burst.get(i).flags & dev.tungate.tcp.Segment.PSH) != 0 ? tailDrop : 0;
                break;
            }
        }
        for (int i = burst.size() - 1; i >= 0 && toDrop > 0; i--) {
            Packet p = burst.get(i);
            if (p.text.length > 0) {
                toDrop--;
                if (tailSeen.add(p.seq + p.text.length)) {
                    burst.set(i, null);
                    tailDropped++;
                    sent++;
                    lost++;
                    sim.trace(name, p, "lost (tail of a burst)");
                }
            }
        }
        for (Packet p : burst) {
            if (p != null) {
                impair(p);
            }
        }
        burst.clear();
    }

    private void impair(Packet pkt) {
        long now = sim.now();
        sent++;
        if (!scriptedOnly && p.corrupt() > 0 && rnd.nextDouble() < p.corrupt()) {
            corrupted++;
            sim.trace(name, pkt, "corrupted, dropped as by checksum");
            return;
        }
        if (!scriptedOnly && p.loss() > 0 && rnd.nextDouble() < p.loss()) {
            lost++;
            sim.trace(name, pkt, "lost");
            return;
        }
        if (!scriptedOnly && p.ceMark() > 0 && (pkt.ecn == 1 || pkt.ecn == 2) && rnd.nextDouble() < p.ceMark()) {
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
        if (!scriptedOnly && p.reorder() > 0 && rnd.nextDouble() < p.reorder()) {
            reordered++;
            arrives += rnd.nextLong(1, 2 * p.delayNanos() + 2);
        }
        if (sim.tracing()) {
            sim.trace(name, pkt, "arrives at " + Simulation.millis(arrives));
        }
        Packet delivered = pkt;
        sim.at(arrives, () -> to.arrive(delivered));
        if (!scriptedOnly && p.duplicate() > 0 && rnd.nextDouble() < p.duplicate()) {
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
