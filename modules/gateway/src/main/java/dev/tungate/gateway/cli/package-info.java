/**
 * The {@code tungate} command line (picocli): {@code run}, {@code exec}, {@code demo} and the
 * control client. {@link dev.tungate.gateway.cli.Main} maps every kind of bad input (options, a
 * config line, a missing namespace, a busy device) to one line on stderr naming what was wrong and
 * what was expected, with exit code 2. {@link dev.tungate.gateway.cli.NetworkOptions} turns the
 * options (over the config file) into a validated {@link dev.tungate.gateway.config.GatewayConfig}.
 * SIGTERM and SIGINT stop a gateway in order and exit 0 ({@link dev.tungate.gateway.cli.Signals}).
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.cli;
