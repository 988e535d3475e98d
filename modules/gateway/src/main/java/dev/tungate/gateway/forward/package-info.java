/**
 * Port forwarding, host → namespace ({@code --forward}, {@code forward =}, {@code ctl forward add|list|remove}).
 *
 * <p>{@link dev.tungate.gateway.forward.ForwardSpec} parses {@code tcp|udp:[HOSTADDR:]HOSTPORT:[NSADDR:]NSPORT}
 * (ranges paired port by port). {@link dev.tungate.gateway.forward.Forwards} is the runtime set: one
 * {@link dev.tungate.gateway.forward.Listener} per host port, bound on a shard's loop; removing one closes only the
 * listening socket, so forwarded connections keep going.
 *
 * <p>TCP: {@link dev.tungate.gateway.forward.TcpListener} accepts, computes the flow key
 * ({@link dev.tungate.gateway.forward.ClientKeys}: the namespace's server sees the client's real address, a host
 * loopback client the gateway address) and registers the client channel, autoRead off, on the shard its key hashes
 * to, whose {@code TcpRelay.openForwarded} puts a {@code TcpFlow} in the one flow table and opens it into the
 * namespace with the engine's active open. From there the outbound relay's code runs unchanged: the host socket is
 * the flow's "upstream" channel, read from ESTABLISHED on; RST (closed port) or SYN retries running out reset it
 * with SO_LINGER 0; half-close and backpressure as for outbound flows.
 *
 * <p>UDP: {@link dev.tungate.gateway.forward.UdpListener} writes each host client's datagrams to the TUN device as
 * from the client; the shards' UDP relays ask {@link dev.tungate.gateway.forward.UdpClients} before opening a NAT
 * binding, so the server's replies go back to that client. Clients idle for the UDP idle timeout are forgotten.
 */
package dev.tungate.gateway.forward;
