/**
 * The namespace's DNS address (10.0.2.3 / fd00::3 by default), answered by the host's resolvers.
 *
 * <p><b>What it owns.</b> {@link dev.tungate.gateway.dns.DnsForwarder}, one per shard, relays UDP
 * queries from one unconnected datagram socket per address family, bound to the wildcard address
 * on the shard's loop. Because these are ordinary host sockets in the host's network namespace, a
 * resolver on host loopback (systemd-resolved on 127.0.0.53, a local dnsmasq) works as well as a
 * remote one, and {@code --disable-host-loopback} does not affect it: the forwarder talks to the
 * resolvers directly, never through {@code Destinations}. {@link dev.tungate.gateway.dns.ResolvConf}
 * reads the resolvers from /etc/resolv.conf when the config names none.
 *
 * <p><b>Query IDs.</b> Each query goes upstream under a fresh random ID (RFC 5452 §9.2), which is
 * also its slot in a 65536-entry table; the answer gets the client's own ID back before it is sent
 * to the namespace from the DNS address, port 53. Only answers from a resolver the query was sent
 * to are accepted (RFC 5452 §9.1).
 *
 * <p><b>Failover.</b> A resolver has {@code DEFAULT_ATTEMPT_TIMEOUT_NANOS} (2 s) to answer, checked
 * on the shard's tick; then the same query goes to the next resolver, which also becomes the first
 * one tried from then on. After every resolver had its turn the query is dropped (the client's
 * stub resolver retries or gives up on its own). Timeouts are counted in {@code dnsTimeouts}.
 *
 * <p>TCP DNS is not here: the core relays a TCP flow to the DNS address to the first resolver.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.dns;
