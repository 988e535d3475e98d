package dev.tungate.gateway.shard;

/**
 * The gateway-wide limits every shard charges against: direct memory ({@link MemoryBudget}) and
 * file descriptors ({@link FdReserve}). One instance shared by all shards; each part is safe to
 * call from any loop.
 */
public record Budgets(MemoryBudget memory, FdReserve fds) {
    /** No limits: unit tests, and shards before the gateway sets its budgets. */
    public static final Budgets UNLIMITED = new Budgets(MemoryBudget.UNLIMITED, FdReserve.UNLIMITED);
}
