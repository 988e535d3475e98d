/**
 * Seeing a running gateway: the control socket and {@code tungate ctl}.
 *
 * <p><b>Server.</b> {@link dev.tungate.gateway.ctl.CtlServer} listens on a unix stream socket
 * (default {@code /run/tungate/NETNS.sock}, mode 0600: only root may ask) and answers one
 * line-based request per connection on its own daemon thread, never on a shard's loop: the
 * {@link dev.tungate.gateway.ctl.ControlTarget} calls (the {@code Gateway} facade) wait for tasks on
 * every loop. A stale socket file left by a dead gateway is replaced; a live one is refused.
 *
 * <p><b>Client.</b> {@link dev.tungate.gateway.ctl.CtlCommand} is the picocli {@code ctl} command:
 * {@code conns} (the connection table, like {@code ss -tan}, sequence numbers relative to ISS/IRS),
 * {@code stats} (counters summed over shards, drop reasons included) and {@code capture FILE}
 * (pcap of every TUN frame, written by the gateway itself, so FILE is made absolute; it stops after
 * {@code --seconds} or when the client goes away, e.g. on Ctrl-C).
 * {@link dev.tungate.gateway.ctl.CtlFormat} renders the text.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.ctl;
