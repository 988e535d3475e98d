/**
 * The emulator's core: per-flow network emulation (netem + Mahimahi + toxiproxy values), pure and
 * single-threaded, with no knowledge of shards, sockets or clocks. The shard owns the wiring (see
 * docs/ARCHITECTURE.md): it parses a SPEC into an {@link dev.tungate.gateway.emu.ImpairProfile},
 * gives each flow (scope=flow) or each rule (scope=rule) one {@link dev.tungate.gateway.emu.Link}
 * per direction, offers frames with its loop's time, and arms its timer for
 * {@link dev.tungate.gateway.emu.Link#nextDueNanos()}, calling {@code poll} when it fires.
 *
 * <p><b>The SPEC</b> ({@link dev.tungate.gateway.emu.SpecParser}): space-separated {@code key=value},
 * for both directions unless prefixed {@code up.} (namespace → outside) or {@code down.}.
 * <pre>
 * delay=DUR jitter=DUR distribution=uniform|normal|pareto|paretonormal correlation=P%
 * loss=P%[,CORR%] | loss=ge:p[,r[,1-h[,1-k]]] | loss=state:p13[,p31[,p32[,p23[,p14]]]]
 * duplicate=P%[,CORR%] reorder=P%[,CORR%] gap=N corrupt=P%[,CORR%]
 * rate=RATE overhead=BYTES trace=FILE queue=droptail|codel limit=PACKETS limit-bytes=SIZE
 * slot=MIN[,MAX] slot-packets=N slot-bytes=SIZE syn-drop=N
 * timeout=DUR[,close|hold] reset-after=SIZE|DUR limit-data=SIZE slow-close=DUR slicer=SIZE[,DUR]   (stream, values only)
 * seed=N scope=flow|rule                                                                            (no prefix)
 * DUR: ns us ms s; RATE: bit kbit mbit gbit (decimal); SIZE: b k m g (binary, 1m = 1 MiB)
 * </pre>
 *
 * <p><b>One frame's path through a Link</b> (netem_enqueue() order): syn-drop (peeks the TCP flags);
 * duplicate and loss drawn (a lost duplicate is sent once, netem's {@code count}); corruption (one bit
 * past the IP header of a copy); then per copy: reorder (sent at once), the limit (droptail, counted),
 * the bottleneck FIFO (a {@link dev.tungate.gateway.emu.RateShaper} or a Mahimahi
 * {@link dev.tungate.gateway.emu.TraceSchedule}, with {@link dev.tungate.gateway.emu.CoDel} at its
 * head if asked), the delay line ({@link dev.tungate.gateway.emu.HeldQueue}: delay + jitter from a
 * {@link dev.tungate.gateway.emu.Distribution}), the {@link dev.tungate.gateway.emu.SlotGate}.
 * The bottleneck comes before the delay (a queue, then propagation, as mm-link inside mm-delay);
 * netem computes the same times when only one of the two is set. The limit counts every frame the
 * link holds, in both stages (netem's limit does the same; default 1000 packets and 8 MiB).
 *
 * <p><b>Costs.</b> No thread, no timer of its own. An empty profile with nothing held delivers in
 * the caller's stack and allocates nothing; loss alone draws one number and allocates nothing. A held
 * frame costs one slot in preallocated arrays that grow by doubling up to the limit. A duplicate or a
 * corrupted frame is a copy ({@code ByteBuf.copy()}), never a retained duplicate, so a later rewrite
 * of one does not reach the other. {@code close()} releases everything held.
 *
 * <p><b>What is deterministic.</b> A link's fates are a function of: the profile, the seed
 * ({@code seed=N}, 0 if absent), the flow's 4-tuple hash and direction
 * ({@link dev.tungate.gateway.emu.Link#flowSeed(long, long, boolean)}), and the sequence of
 * (frame, offer time, poll times) it is given. Each impairment draws from its own stream split from
 * that seed, a fixed number of draws per frame offered, so: which frames are lost, duplicated,
 * corrupted (and which bit) and reordered depend only on the frame's index in the flow (and, for
 * syn-drop and the corrupted bit's position, on the frames' flags and lengths), never on time; jitter
 * samples depend on the index among frames that reached the delay line. Exact to the ns are the
 * delivery times relative to the offer times (delay, rate, trace, slot), CoDel's and droptail's drops
 * given the offer times, and the Mahimahi schedule (its clock starts at the link's first frame).
 *
 * <p><b>What is not.</b> The offer times themselves: when the namespace's stack and the remote peer
 * send depends on wall-clock scheduling, so through the gateway the queue drops, CoDel drops and
 * delivery times of a real TCP flow differ from run to run even with one seed, while the random fates
 * (loss, duplicate, corrupt, reorder) by packet index do not, until the two runs send different
 * packet sequences (a retransmission timed differently is a different sequence). The timer that calls
 * {@code poll} fires at or after {@code nextDueNanos()}, so a real delivery is late by the loop's
 * timer resolution. {@code scope=rule} links are shared by all the rule's flows, so their fates depend
 * on how the flows interleave.
 *
 * <p><b>Deviations from netem</b>, each said where it lives: jitter distributions are computed, not
 * 4096-entry tables; correlation keeps the marginal (netem's get_crandom() narrows it, so its
 * {@code loss 10% 50%} loses ~0.1 %); a corrupted bit is past the IP header; a duplicate is not sent
 * through the root qdisc again (it meets delay, reorder and the limit, not loss or duplication);
 * {@code slot} opens its next slot U(min, max) after a frame due past the last one.
 *
 * <p>Start reading at {@link dev.tungate.gateway.emu.Link#offer}.
 */
package dev.tungate.gateway.emu;
