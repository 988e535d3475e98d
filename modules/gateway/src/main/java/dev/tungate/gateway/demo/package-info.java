/**
 * {@code tungate demo}: one HTTP fetch from a fresh namespace to the host's loopback through
 * tungate, printed segment by segment with both sides' TCP states. The client's state is the
 * kernel's own (/proc/&lt;thread&gt;/net/tcp6 of a thread inside the namespace); tungate's is its
 * engine's, reported through {@link dev.tungate.gateway.tcp.TcpObserver}.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.demo;
