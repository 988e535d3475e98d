/**
 * The gateway: a TUN device inside a network namespace, served by one shard per TUN queue and
 * Netty event loop, relaying every connection to the real destination through host sockets.
 *
 * <p>Start reading at {@link dev.tungate.gateway.Gateway#start}: it creates the device in the
 * namespace (configured like a slirp4netns guest link: address, default routes via the gateway
 * address, MTU, deep TX queue), one {@link dev.tungate.gateway.shard.Shard} per loop, and
 * registers each TUN queue on its loop. One packet's tour, namespace to upstream and back:
 *
 * <pre>
 *   TunQueueHandle (tun)  reads a batch of frames on loop k
 *   Shard.frameRead       IpPacket.wrap: validate, count and drop bad frames; dispatch by protocol
 *   TcpRelay.packetIn     (the TCP ProtocolHandler) TcpHeader.wrap + checksum + options, ConnectionTable.get(4-tuple)
 *   TcpFlow.segmentIn     TcpConnection.segmentArrives (the engine, RFC 9293 §3.10.7)
 *   TcpFlow.deliver       in-order bytes written to the upstream Netty channel, flushed per batch
 *   TcpFlow.upstreamRead  upstream bytes into TcpConnection.send
 *   TcpFlow.emit          TcpEmitter: PacketBuilder into a pooled buffer, TunQueueHandle.write
 * </pre>
 *
 * The gateway is also the facade of the control socket: {@link dev.tungate.gateway.Gateway#connections},
 * {@link dev.tungate.gateway.Gateway#stats}, {@link dev.tungate.gateway.Gateway#capture}; each asks
 * every shard's loop with a task, so shards never share mutable state.
 *
 * <p>docs/ARCHITECTURE.md describes modules, one packet's path, threading and where each feature lives.
 */
package dev.tungate.gateway;
