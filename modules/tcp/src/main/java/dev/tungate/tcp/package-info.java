/**
 * The TCP engine: one connection's TCP, sans-IO.
 *
 * <h2>Theory of operation</h2>
 * A {@link dev.tungate.tcp.TcpConnection} never reads a clock, never touches a channel or a thread.
 * The caller (a gateway shard, a test, the simulator) hands it arriving segments and the current
 * time; everything that comes out goes through its {@link dev.tungate.tcp.TcpOutput}: segments to
 * put on the wire, in-order bytes for the user, and {@link dev.tungate.tcp.TcpEvent}s. Timers are
 * absolute deadlines: the caller asks {@code nextDeadlineNanos()} and calls {@code onTimer(now)}.
 * Everything runs synchronously on the caller's thread, so the engine has no locks.
 *
 * <h2>Where to start reading</h2>
 * <ol>
 *   <li>{@link dev.tungate.tcp.TcpConnection}: the state, the user calls (§3.10.1-5) and timers
 *       (§3.10.8); {@code SegmentArrives}: RFC 9293 §3.10.7 step by step (CLOSED, LISTEN, SYN-SENT,
 *       then one method per step of §3.10.7.4: sequence check with PAWS, RST, SYN, ACK, URG, text,
 *       FIN), with RFC 5961 challenge ACKs in their places. {@link dev.tungate.tcp.TcpInfo} is the
 *       {@code tcp_get_info}-like snapshot for ctl, metrics and tests; {@code icmpPacketTooBig}
 *       lowers the MSS on a checked ICMP too-big (RFC 1191, 8201, 5927).</li>
 *   <li>{@code Sender}: SND.UNA / SND.NXT / SND.MAX, the send buffer, RTO (RFC 6298, Karn),
 *       Nagle and sender SWS, limited transmit, GSO super-segments, and loss detection; its parts
 *       {@code RetransmissionTimer} (RFC 6298 (5.1)-(5.3)), {@code PersistTimer},
 *       {@code TailLossProbe} (RFC 8985 §7: a probe after PTO = 2 SRTT instead of waiting for the
 *       RTO; its episode per §7.4, and the probe's SACK or duplicate ACK marking the octets below
 *       it lost, RACK's §6.2 verdict for that case), {@code EcnSender}
 *       (RFC 3168 §6.1) and {@code Recovery} ({@code NewRenoRecovery} RFC 6582 §3.2,
 *       {@code SackRecovery} RFC 6675 §5, owning their state). cwnd itself belongs to {@code cc}, the SACK
 *       scoreboard to {@code sack}. {@code Reordering}: DupThresh learned from reordering (as
 *       Linux tp->reordering; IsLost in SACK recovery uses it too, bounded by 2/3 of the flight
 *       cwnd allows, RFC 4653), and undoing spurious loss responses (RFC 3522 Eifel, RFC 3708
 *       D-SACK, RFC 4015 response).</li>
 *   <li>{@code Receiver} and {@code ReassemblyQueue}: RCV.NXT, the window as buffer space the user
 *       has not consumed (backpressure), receiver SWS avoidance, out-of-order segments held as
 *       retained slices, SACK blocks (RFC 2018 §4) with D-SACK (RFC 2883), and the ACK policy:
 *       delayed ACK (RFC 9293 §3.8.6.3, every second full-sized segment counted in bytes, so a
 *       GSO super-segment ACKs at once), but at once for the first segments (Linux quick-ACK),
 *       out-of-order and gap-filling data (RFC 5681 §4.2), and data that leaves less than two
 *       segments of window; a read announces the window when it doubles the one the peer knows
 *       (Linux __tcp_cleanup_rbuf). A window-limited sender must not wait 40 ms for an ACK, or
 *       its loss probe (a few RTTs) fires first.</li>
 *   <li>{@code Emitter} (every outgoing segment: ACK field, window, timestamps, SACK blocks, ECE),
 *       {@code Negotiated} (what the SYNs agreed), {@code RttEstimator} (RFC 6298 with Karn and
 *       RFC 7323 §4.1 RTTM samples), {@code Timers} (including the FIN-WAIT-2 timeout),
 *       {@code Keepalive}, {@code ChallengeAckLimiter}, and {@link dev.tungate.tcp.Isn} (RFC 6528
 *       ISNs, used by the gateway).</li>
 * </ol>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Sequence numbers are {@code int}s compared only through {@link dev.tungate.tcp.Seq}.</li>
 *   <li>SND.UNA &lt;= SND.NXT &lt;= SND.MAX; after an RTO SND.NXT goes back to SND.UNA (go-back-N)
 *       while ACKs up to SND.MAX stay acceptable, and pure ACKs carry SND.MAX.</li>
 *   <li>The announced right edge RCV.NXT + RCV.WND never moves left.</li>
 *   <li>Buffers: arriving text is borrowed for the call and retained (as slices) only for what is
 *       kept; {@code deliver} hands ownership to the user; emitted text is borrowed by the output
 *       for the call. After the final {@link dev.tungate.tcp.TcpEvent#CLOSED} nothing is retained.</li>
 *   <li>No logging: the gateway logs state changes from the events, with the flow.</li>
 * </ul>
 *
 * <h2>Known gaps</h2>
 * No TCP Fast Open, no RACK time-based loss detection (RFC 8985 §6: lost retransmissions wait
 * for the RTO; a tail loss gets a probe, TLP, but a one-segment flight still waits until the RTO's
 * time, as §7.2's WCDelAckT makes it), no RFC 6675 rescue retransmission; urgent data can be received (tracked, delivered inline) but not sent.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.tcp;
