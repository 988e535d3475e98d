/**
 * Shards: one event loop's TUN queue, flows, timers and sockets, touched only by that loop.
 *
 * <p>{@link dev.tungate.gateway.shard.Shard} validates every frame (IP header, L4 header and
 * checksum: a bad frame is counted in {@link dev.tungate.gateway.shard.Counters#drops}, never
 * logged or thrown) and dispatches it: TCP to the shard's
 * {@link dev.tungate.gateway.tcp.TcpRelay}, UDP and ICMP echo to the services'
 * {@link dev.tungate.gateway.shard.ProtocolHandler}s, ICMPv6 neighbour discovery ignored, other
 * protocols answered "protocol unreachable".
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
 */
package dev.tungate.gateway.shard;
