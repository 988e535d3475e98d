package dev.tungate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on stderr naming what was wrong and what was expected, exit code 2, nothing on stdout. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void assertUsageError(int code, String expected) {
        assertEquals(2, code, err.toString());
        String e = err.toString();
        assertTrue(e.startsWith("tungate: ") && e.contains(expected), e);
        assertEquals(1, e.lines().count(), "one line, no stack trace: " + e);
        assertEquals("", out.toString());
    }

    @Test
    @DisplayName("an unknown option is named, even when a required one is missing too")
    void unknownOption() {
        assertUsageError(run("run", "--bogus"), "Unknown option: '--bogus' (see 'tungate run --help')");
    }

    @Test
    void missingNamespaceOption() {
        assertUsageError(run("run"), "Missing required option: '--netns=NS'");
    }

    @Test
    void badAddress() {
        assertUsageError(run("run", "--netns", "x", "--address", "10.0.2.300/24"),
                "'10.0.2.300' is not an IPv4 address: expected e.g. 10.0.2.2");
    }

    @Test
    void addressWithoutPrefix() {
        assertUsageError(run("run", "--netns", "x", "--address", "10.0.2.100"),
                "'10.0.2.100' has no prefix length: expected ADDRESS/PREFIX, e.g. 10.0.2.100/24");
    }

    @Test
    void ipv4WhereIpv6IsExpected() {
        assertUsageError(run("run", "--netns", "x", "--ipv6", "10.0.2.100/24"), "is not an IPv6 address");
    }

    @Test
    void mtuOutOfRange() {
        assertUsageError(run("run", "--netns", "x", "--mtu", "100"), "invalid --mtu 100: expected 1280..65520");
    }

    @Test
    void gatewayOutsideThePrefix() {
        assertUsageError(run("run", "--netns", "x", "--address", "10.0.2.100/24", "--gateway", "10.0.3.1"),
                "--gateway 10.0.3.1 is outside 10.0.2.100/24: expected an address inside the namespace's prefix");
    }

    @Test
    void queuesOutOfRange() {
        assertUsageError(run("run", "--netns", "x", "--queues", "0"), "invalid --queues 0: expected 1..64");
    }

    @Test
    void badDeviceName() {
        assertUsageError(run("run", "--netns", "x", "--tun", "a/b"), "invalid --tun 'a/b'");
    }

    @Test
    @DisplayName("a namespace that does not exist is a usage error, not a crash")
    void namespaceDoesNotExist() {
        assertUsageError(run("run", "--netns", "tg-core-test-no-such-ns"),
                "cannot open network namespace 'tg-core-test-no-such-ns' (/run/netns/tg-core-test-no-such-ns)");
    }

    @Test
    void badConfigLineNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("tungate.conf");
        Files.writeString(conf, "# comment\nmtu = many\n");
        assertUsageError(run("run", "--netns", "x", "--config", conf.toString()), conf + ":2:");
    }

    @Test
    @DisplayName("a range error from the file names the file's key, not the option --mtu; exit 2")
    void rangeErrorFromFileNamesKey(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("tungate.conf");
        Files.writeString(conf, "mtu = 70000\n");
        assertUsageError(run("run", "--netns", "x", "--config", conf.toString()),
                "tungate: " + conf + ":1: mtu: found '70000', expected 1280..65520");
        assertFalse(err.toString().contains("--mtu"), err.toString());
    }

    @Test
    @DisplayName("tx-queue-len = -1 is a usage error (exit 2) at start-up, not a netlink failure (exit 1) later")
    void negativeTxQueueLen(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("tungate.conf");
        Files.writeString(conf, "tx-queue-len = -1\n");
        assertUsageError(run("run", "--netns", "x", "--config", conf.toString()),
                conf + ":1: tx-queue-len: found '-1', expected 1..1000000");
    }

    @Test
    @DisplayName("a non-UTF-8 byte in the file names its line")
    void nonUtf8Config(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("tungate.conf");
        Files.write(conf, new byte[] {'#', '\n', 'n', 'e', 't', 'n', 's', '=', (byte) 0xC3, '\n'});
        assertUsageError(run("run", "--netns", "x", "--config", conf.toString()),
                conf + ":2: found byte 0xC3 at column 7, expected UTF-8 text");
    }

    @Test
    @DisplayName("a bad --ctl path is named at start-up")
    void badCtlPath() {
        assertUsageError(run("run", "--netns", "x", "--ctl", "/etc/hostname/x.sock"),
                "invalid --ctl /etc/hostname/x.sock: expected a socket path of at most 107 bytes");
        err.getBuffer().setLength(0);
        String tooLong = "/tmp/" + "x".repeat(120) + ".sock";
        assertUsageError(run("run", "--netns", "x", "--ctl", tooLong), "invalid --ctl " + tooLong + ": expected");
    }

    @Test
    void unreadableConfig(@TempDir Path dir) {
        assertUsageError(run("run", "--netns", "x", "--config", dir.resolve("missing.conf").toString()),
                "cannot read --config");
    }

    @Test
    void noCommand() {
        assertUsageError(run(), "missing command: expected one of run, exec, demo");
    }

    @Test
    void execNeedsACommand() {
        assertUsageError(run("exec"), "Missing required parameter: 'CMD'");
    }

    @Test
    void demoMslOutOfRange() {
        assertUsageError(run("demo", "--msl", "0"), "invalid --msl 0: expected 1..60000 milliseconds");
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString().contains("--netns=NS"), out.toString());
    }
}
