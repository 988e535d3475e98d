/**
 * Shards: one event loop's TUN queue, flows, timers and sockets, touched only by that loop.
 *
 * <p>{@link dev.tungate.gateway.shard.Shard} validates every frame's IP header (a bad frame is
 * counted in {@link dev.tungate.gateway.shard.Counters#drops}, never logged or thrown) and
 * dispatches it to its protocol's {@link dev.tungate.gateway.shard.ProtocolHandler} (TCP, UDP,
 * ICMP echo, or the "protocol unreachable" fallback), which validates its own L4 header and
 * checksum. ICMPv6 neighbour discovery is ignored here (a TUN device has no link layer). Handlers
 * write back through {@link dev.tungate.gateway.shard.ShardContext#writeFrame}; the shard imports
 * no protocol package, so a stage (the emulation link) can sit between the queue and the handlers
 * in both directions.
 *
 * <p>Invariants: a flow lives on exactly one shard (hash of its 4-tuple); everything a shard owns
 * is touched on its loop only, so there are no locks on the fast path; counters are plain longs
 * summed by tasks on each loop. {@link dev.tungate.gateway.shard.ShardContext},
 * {@link dev.tungate.gateway.shard.ProtocolHandler} and {@link dev.tungate.gateway.shard.Destinations}
 * are the contract with the UDP/DNS/ICMP services; {@link dev.tungate.gateway.shard.AddressPlan}
 * is the slirp4netns address plan (gateway = host loopback, DNS address = host resolver) plus policy.
 * Whether a new flow may leave at all is decided in one place, {@link dev.tungate.gateway.shard.Destinations#refusal},
 * for TCP, UDP and ICMP echo alike; each {@link dev.tungate.gateway.shard.Refusal} has its own counter. The host's
 * loopback by raw address ({@link dev.tungate.gateway.shard.HostLoopback}) is never relayed.
 * {@link dev.tungate.gateway.shard.FlowKey} is the one flow key of TCP, UDP and ICMP.
 *
 * <p>The whole picture (modules, one packet's path, threading, where each feature lives):
 * docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.shard;
