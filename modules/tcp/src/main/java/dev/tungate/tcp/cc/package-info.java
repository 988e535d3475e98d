/**
 * Congestion control: how much a sender may have in flight (cwnd) and where slow start ends (ssthresh).
 *
 * <p>Read first: RFC 5681 (slow start, congestion avoidance, fast retransmit/recovery), RFC 3465
 * (appropriate byte counting, L = 2), RFC 6582 (NewReno's recovery framing), RFC 9438 (CUBIC).
 *
 * <p>Theory of operation. The engine owns loss detection and recovery (dup ACKs, RFC 6675 SACK
 * pipe, partial ACKs, RTO); a {@link dev.tungate.tcp.cc.CongestionControl} only reacts to five
 * events and moves two numbers, both in bytes. {@code onAck} grows cwnd outside recovery: slow
 * start below ssthresh (by at most 2 SMSS per ACK), congestion avoidance at or above it (NewReno:
 * one SMSS per cwnd of bytes ACKed; CUBIC: toward W_cubic(t + RTT), or the Reno-friendly W_est
 * when that is larger). {@code onCongestionEvent} backs off once per loss episode (NewReno:
 * FlightSize / 2 plus the 3 SMSS inflation; CUBIC: FlightSize * 0.7), {@code onRecoveryEnd}
 * deflates, {@code onRetransmitTimeout} falls to one SMSS, {@code onIdleRestart} caps cwnd at the
 * initial window. Controllers never read a clock: time is the caller's {@code nowNanos}, so they
 * run unchanged under the simulator's virtual clock. Start reading at
 * {@link dev.tungate.tcp.cc.CongestionControls}, then {@code RenoFraming}.
 *
 * <p>Not done: HyStart++ (RFC 9406), congestion window validation (RFC 7661: cwnd also grows
 * while the sender is application-limited), PRR (RFC 6937).
 */
package dev.tungate.tcp.cc;
