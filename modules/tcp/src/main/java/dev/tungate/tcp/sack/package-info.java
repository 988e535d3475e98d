/**
 * The sender's SACK scoreboard (RFC 2018, RFC 6675): which octets above SND.UNA the receiver holds.
 *
 * <p>Theory of operation. Every ACK is applied with {@code onAck(sndUna, sndNxt, options)}: the
 * cumulative ACK drops what it covers, and each SACK block is clipped to [SND.UNA, SND.NXT) and
 * merged into a sorted array of disjoint ranges (RFC 2883 D-SACK blocks below SND.UNA are
 * ignored). Loss recovery then asks three questions of RFC 6675 §4: IsLost (DupThresh SACKed
 * ranges or more than (DupThresh - 1) SMSS SACKed above an octet; DupThresh is 3 unless the
 * caller passes the one it learned from reordering, RFC 4653), SetPipe (octets in flight), and
 * NextSeg (the first lost hole to retransmit). Holes, not octets, are the unit: all octets in one hole share the same
 * answer. Storage is two preallocated int arrays; nothing is allocated per ACK. Start at
 * {@link dev.tungate.tcp.sack.SackScoreboard#onAck}.
 *
 * <p>Invariants: ranges are sorted in sequence space, disjoint and non-touching, all within
 * [SND.UNA, SND.NXT), and {@code sackedBytes()} is the sum of their lengths.
 */
package dev.tungate.tcp.sack;
