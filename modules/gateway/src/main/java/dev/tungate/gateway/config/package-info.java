/**
 * What a gateway is told: {@link dev.tungate.gateway.config.GatewayConfig} (a plain object), filled
 * first from a config file by {@link dev.tungate.gateway.config.ConfigFile} and then from the
 * command line, which wins.
 *
 * <p><b>The file format.</b> One {@code key = value} per line, {@code #} to the end of a line is a
 * comment. Keys are the command line's long option names plus settings without an option;
 * {@code resolver} and {@code rule} repeat. The shipped {@code config/tungate.conf} lists every key
 * with its default (a test keeps the two in step). Values are checked as they are read; the first
 * bad line stops the parse with a {@link dev.tungate.gateway.config.ConfigException} reading
 * {@code FILE:LINE: what is wrong; expected what}. Nothing here looks a name up in DNS.
 *
 * <p><b>Policy.</b> {@link dev.tungate.gateway.config.PolicyRule} is one {@code rule = <CIDR>[:port]
 * <action>} line; rules are kept in file order and the first match decides
 * ({@link dev.tungate.gateway.config.PolicyRule#decide}); with no match a flow goes direct.
 *
 * <p><b>Addresses.</b> {@link dev.tungate.gateway.config.AddressText} prints them as people write
 * them; {@link dev.tungate.gateway.config.Addresses} makes them from raw bytes or hi/lo bits and
 * masks them to a prefix, for the whole gateway.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.config;
