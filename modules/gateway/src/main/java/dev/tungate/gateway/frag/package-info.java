/**
 * IP fragment reassembly for what the namespace sends (RFC 791 §3.2, RFC 815, RFC 8200 §4.5,
 * RFC 5722). A program in the namespace that sends a UDP datagram larger than the TUN MTU, or
 * pings with {@code -s 3000 -M dont}, makes its kernel fragment; the shard hands each fragment to
 * its {@link dev.tungate.gateway.frag.Reassembler} and dispatches the whole datagram as if it had
 * arrived whole.
 *
 * <p>Bounds, all per shard: {@link dev.tungate.gateway.frag.Reassembler#MAX_DATAGRAMS} datagrams
 * in reassembly, {@link dev.tungate.gateway.frag.Reassembler#MAX_BYTES} of buffer capacity,
 * {@link dev.tungate.gateway.frag.Reassembler#MAX_FRAGMENTS} fragments per datagram, and a
 * {@link dev.tungate.gateway.frag.Reassembler#TIMEOUT_NANOS} life from the first fragment. At a
 * bound the oldest datagram is evicted (new traffic always makes progress; a flood can only
 * evict, never wedge the table). Every fragment ends in one counter of
 * {@link dev.tungate.gateway.shard.Counters}: reassembled, duplicate, overlap, invalid, timed out
 * or evicted. Only the event loop of the shard touches a reassembler.
 */
package dev.tungate.gateway.frag;
