package dev.tungate.tcp;

/**
 * A snapshot of one connection, like Linux's {@code tcp_get_info} ({@code struct tcp_info}, what
 * {@code ss -ti} prints): taken by {@link TcpConnection#info()} on the owning thread, immutable
 * afterwards, for {@code tungate ctl conns}, metrics and tests. Not for the per-packet path: each
 * call allocates one.
 *
 * <p>Sequence numbers are raw 32-bit values (print with {@link Integer#toUnsignedString}); windows
 * and cwnd are bytes (windows scaled); times are nanoseconds, SRTT -1 before the first sample.
 *
 * @param state              RFC 9293 state
 * @param iss                ISS
 * @param irs                IRS
 * @param sndUna             SND.UNA
 * @param sndNxt             SND.NXT
 * @param sndWnd             SND.WND in bytes
 * @param rcvNxt             RCV.NXT
 * @param rcvWnd             RCV.WND as last announced, in bytes
 * @param rcvUp              RCV.UP (RFC 6093), one past the last urgent byte
 * @param urgentPending      urgent data lies at or beyond RCV.NXT (§3.10.7.4 sixth step)
 * @param sndWndShift        the peer's window shift in effect (RFC 7323 §2), 0 without
 * @param rcvWndShift        our window shift in effect
 * @param effectiveMss       SMSS: the largest text of a segment we send
 * @param cwnd               cwnd in bytes, 0 before the handshake
 * @param ssthresh           ssthresh in bytes, 0 before the handshake
 * @param srttNanos          SRTT (RFC 6298), -1 before the first sample
 * @param rttvarNanos        RTTVAR
 * @param rtoNanos           RTO including backoff
 * @param timestampsEnabled  the SYNs agreed on timestamps (RFC 7323)
 * @param sackEnabled        ... on SACK (RFC 2018)
 * @param ecnEnabled         ... on ECN (RFC 3168)
 * @param retransmits        segments retransmitted (RTO, fast retransmit, recovery, SYN, loss probes)
 * @param fastRetransmits    fast recoveries entered
 * @param timeouts           retransmission timeouts
 * @param spuriousRecoveries loss responses undone as spurious (RFC 3522, 3708, 4015)
 * @param dupThresh          DupThresh in segments, raised by reordering
 * @param inRecovery         in fast recovery now
 * @param sackedBytes        octets SACKed above SND.UNA now (Linux tcpi_sacked counts segments)
 * @param bytesAcked         data octets the peer acknowledged
 * @param bytesReceived      data octets received in order
 * @param outOfOrderBytes    octets held above RCV.NXT
 * @param sendQueued         octets queued toward the peer (unacknowledged plus unsent)
 * @param segmentsSent       segments emitted
 * @param resetsSent         RSTs emitted
 * @param challengeAcksSent  challenge ACKs sent (RFC 5961 §7)
 * @param pawsDiscards       segments discarded by PAWS (RFC 7323 §5.3 R1)
 * @param unacceptableDiscards segments outside the receive window (RFC 9293 §3.10.7.4 first step)
 * @param ackDiscards        segments whose ACK lay outside [SND.UNA - MAX.SND.WND, SND.MAX] (RFC 5961 §5.2)
 * @param lossProbes         tail loss probes sent (RFC 8985 §7; Linux TCPLossProbes)
 * @param lossProbeRecoveries losses a probe repaired (RFC 8985 §7.4; Linux TCPLossProbeRecovery)
 */
public record TcpInfo(State state, int iss, int irs, int sndUna, int sndNxt, int sndWnd, int rcvNxt, int rcvWnd,
        int rcvUp, boolean urgentPending, int sndWndShift, int rcvWndShift, int effectiveMss, int cwnd, int ssthresh,
        long srttNanos, long rttvarNanos, long rtoNanos, boolean timestampsEnabled, boolean sackEnabled,
        boolean ecnEnabled, long retransmits, long fastRetransmits, long timeouts, long spuriousRecoveries,
        int dupThresh, boolean inRecovery, int sackedBytes, long bytesAcked, long bytesReceived, int outOfOrderBytes,
        int sendQueued, long segmentsSent, long resetsSent, long challengeAcksSent, long pawsDiscards,
        long unacceptableDiscards, long ackDiscards, long lossProbes, long lossProbeRecoveries) {
}
