/**
 * Per-shard bookkeeping the gateway keeps around its engines: the flow table and the timer wheel.
 *
 * <p>Theory of operation. {@link dev.tungate.tcp.table.ConnectionTable} maps a 4-tuple to its
 * connection. Addresses are two longs each (IPv4 as ::ffff:a.b.c.d, so both families share one
 * table), ports are packed into one int; keys live in parallel primitive arrays with linear
 * probing and backward-shift deletion, so a lookup on the fast path allocates nothing and never
 * steps over tombstones. {@link dev.tungate.tcp.table.TimerWheel} holds every engine timer of a
 * shard (RTO, delayed ACK, persist, keepalive, TIME-WAIT): each connection preallocates its
 * {@code Timer} objects, which link themselves into a slot's list, and the event loop calls
 * {@code expire(now)} with its own clock. Both are single-threaded by design: a shard's event loop
 * is their only user (DESIGN.md, Data flow).
 *
 * <p>Invariants: a table slot is empty iff its value is null, and every entry lies in the probe
 * cluster that starts at its home slot; a timer is in at most one list, and {@code scheduled()}
 * says whether it is.
 */
package dev.tungate.tcp.table;
