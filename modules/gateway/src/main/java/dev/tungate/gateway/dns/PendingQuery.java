package dev.tungate.gateway.dns;

import dev.tungate.gateway.shard.FlowKey;
import io.netty.buffer.ByteBuf;

/** One query in flight: who asked (namespace addresses, ports, ID) and where it went. */
final class PendingQuery {
    /** Namespace source and the DNS address it asked, with their ports. */
    final FlowKey key = new FlowKey();
    /** The ID the namespace chose, restored in the answer. */
    int clientId;
    /** The ID sent upstream, this query's slot in the forwarder's table. */
    int upstreamId;
    /** The query as sent upstream (ID rewritten), kept to resend on failover; released when finished. */
    ByteBuf query;
    /** Index of the resolver asked last. */
    int resolver;
    /** Resolvers asked so far. */
    int attempts;
    long deadlineNanos;
}
