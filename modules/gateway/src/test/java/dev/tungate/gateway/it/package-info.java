/**
 * Integration tests with the Linux kernel as the peer: real clients (curl, iperf3, dig, socat, python sockets) in a
 * network namespace served by {@code bin/tungate run}, against servers the tests start on host loopback or on a
 * veth in the root namespace (198.18.0.0/15). Data is checked by SHA-256.
 *
 * <p>Theory of operation. Each *IT class opens a {@link dev.tungate.gateway.it.Rig}: a namespace named
 * {@code tg-it-PID-N} ({@link dev.tungate.gateway.it.Netns}) and the gateway on it
 * ({@link dev.tungate.gateway.it.Gateway}, started from {@code ${tungate.home}/bin/tungate}, or
 * {@code $TUNGATE_HOME}, and awaited until it prints {@code ready}). Everything a test starts (servers, test hosts,
 * the impairer) is a {@link dev.tungate.gateway.it.Background} or a device owned by the rig, so closing the rig kills
 * by PID and deletes by name, also when a test fails. Commands run with a time bound ({@link dev.tungate.gateway.it.Exec})
 * and leave their output in {@code target/it-logs}. Clients and servers that need more than a command line are
 * python3 fixtures in {@code src/test/resources/it}; the kernel here has no sch_netem, so impairment uses
 * {@code nfq_impair.py} on NFQUEUE ({@link dev.tungate.gateway.it.Impairment}).
 *
 * <p>Requirements (root, {@code /dev/net/tun}, the launcher and its jar, the tools a class names) are checked by
 * {@link dev.tungate.gateway.it.ItEnv}: missing ones skip with the reason, or fail under {@code CI=true}. Tests run one
 * class at a time (failsafe has no parallelism, and the classes are {@code @Isolated}); each is bounded by
 * {@code @Timeout}. {@code -Dit.gateway=pasta} runs the same tests against pasta with tungate's addresses, to tell a
 * test bug from a gateway bug.
 *
 * <p>Start reading at {@link dev.tungate.gateway.it.HttpTransferIT}.
 */
package dev.tungate.gateway.it;
