/**
 * Seeing a running gateway: the control socket and {@code tungate ctl}.
 *
 * <p><b>Server.</b> {@link dev.tungate.gateway.ctl.CtlServer} listens on a unix stream socket
 * (default {@code /run/tungate/NETNS.sock}, mode 0600: only root may ask; bound in a private 0700
 * directory and renamed into place, so it is never reachable with a wider mode) and answers one
 * line-based request per connection. Two threads serve all connections: a Netty epoll loop reads
 * and writes ({@link dev.tungate.gateway.ctl.CtlConnection}: request timeout, connection cap) and
 * one worker runs the requests, never a shard's loop: the
 * {@link dev.tungate.gateway.ctl.ControlTarget} calls (the {@code Gateway} facade) wait for tasks on
 * every loop. A failed accept (EMFILE) pauses accepting briefly and retries. A stale socket file
 * left by a dead gateway is replaced; a live one is refused.
 *
 * <p><b>Requests</b> are named {@link dev.tungate.gateway.ctl.CtlRequest}s in a map
 * ({@link dev.tungate.gateway.ctl.CtlRequests#standard}); a new request is one more entry. Each
 * answers through a {@link dev.tungate.gateway.ctl.CtlExchange}: finish at once, or hold the
 * connection until a deadline or the client's hang-up without a thread waiting.
 *
 * <p><b>Client.</b> {@link dev.tungate.gateway.ctl.CtlCommand} is the picocli {@code ctl} command:
 * {@code conns} (the connection table, like {@code ss -tan}, sequence numbers relative to ISS/IRS),
 * {@code stats} (counters summed over shards, drop reasons included) and {@code capture FILE}
 * (pcap of every TUN frame, written by the gateway itself, so FILE is made absolute and must not
 * exist yet: it is created 0600 with O_EXCL|O_NOFOLLOW; it stops after
 * {@code --seconds} or when the client goes away, e.g. on Ctrl-C).
 * {@link dev.tungate.gateway.ctl.CtlFormat} renders the text.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.ctl;
