/**
 * TCP relaying: the engine of module {@code tcp} facing the namespace, a Netty epoll socket facing
 * the real destination, both on the shard's loop.
 *
 * <p>{@link dev.tungate.gateway.tcp.TcpRelay} is a shard's TCP {@code ProtocolHandler}: connection table, timer wheel
 * (4 ms ticks, running only while a timer is armed), upstream channel set-up, and the dispatch of each
 * segment (frame bytes serve as the segment text, nothing copied). Segments of no flow are
 * answered by an engine that stays CLOSED (RFC 9293 §3.10.7.1).
 * {@link dev.tungate.gateway.tcp.TcpFlow} is one connection and the rules of DESIGN.md
 * "Decisions": the SYN is held until the upstream connect succeeds (refused: RST, unreachable or
 * timed out: ICMP host unreachable), FIN maps to shutdownOutput both ways, RST to RST (SO_LINGER
 * 0), and backpressure closes the window or stops upstream reads. {@link dev.tungate.gateway.tcp.TcpEmitter}
 * writes the engine's segments to TUN, as TSO super-segments with checksum offload when the device
 * has it (through {@code ShardContext.writeFrame}). {@link dev.tungate.gateway.tcp.TcpObserver} lets the demo
 * watch a connection. See docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.tcp;
