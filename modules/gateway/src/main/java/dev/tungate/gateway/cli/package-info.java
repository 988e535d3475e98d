/**
 * The {@code tungate} command line (picocli): {@code run}, {@code exec}, {@code demo} and the
 * control client. {@link dev.tungate.gateway.cli.Main} maps every kind of bad input (options, a
 * config line, a missing namespace, a busy device) to one line on stderr naming what was wrong and
 * what was expected, with exit code 2. {@link dev.tungate.gateway.cli.NetworkOptions} turns the
 * options (over the config file) into a validated {@link dev.tungate.gateway.config.GatewayConfig}.
 * SIGTERM and SIGINT stop a gateway in order and exit 0 ({@link dev.tungate.gateway.cli.Signals}).
 *
 * <p>{@code Main}'s {@code @Command} has INHERIT scope, so {@code -h/--help}, {@code -V/--version}
 * ({@link dev.tungate.gateway.cli.VersionInfo}: the Maven-filtered build version and git commit, Netty, JDK,
 * kernel) and the log options ({@link dev.tungate.gateway.cli.LogOptions}: {@code -q}, {@code -v},
 * {@code --log-level}, {@code --log-format}) reach every subcommand; the log level is applied after parsing,
 * before the command runs. {@code run} tells supervisors it serves through
 * {@link dev.tungate.gateway.cli.Readiness} ({@code --ready-fd}, {@code --pid-file}, and sd_notify through
 * {@link dev.tungate.gateway.cli.SdNotify}). The man pages and the bash completion are generated from these
 * annotations at package time (modules/gateway/pom.xml), so they cannot drift from {@code --help}.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.cli;
