package dev.tungate.gateway.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tungate.gateway.cli.Main;
import dev.tungate.gateway.config.ConfigException;
import dev.tungate.gateway.config.ConfigFile;
import dev.tungate.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --forward / forward = values: good ones and their canonical text, bad ones each with its exact one-line message. */
class ForwardSpecTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "tcp:8080:80                         | tcp:8080:80",
        "udp:5353:53                         | udp:5353:53",
        "tcp:[::1]:8080:80                   | tcp:[::1]:8080:80",
        "tcp:127.0.0.1:8080:80               | tcp:127.0.0.1:8080:80",
        "tcp:8080:10.0.2.100:80              | tcp:8080:10.0.2.100:80",
        "tcp:0.0.0.0:8080:[fd00::100]:80     | tcp:0.0.0.0:8080:[fd00::100]:80",
        "tcp:8000-8010:8000-8010             | tcp:8000-8010:8000-8010",
        "' tcp:[0:0::1]:1:65535 '            | tcp:[::1]:1:65535"})
    @DisplayName("good values parse to their canonical text")
    void good(String text, String canonical) {
        assertEquals(canonical, ForwardSpec.parse(text).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "sctp:80:80               # found 'sctp', expected tcp or udp before the first ':' (" + ForwardSpec.EXPECTED + ")",
        "tcp                      # found 'tcp', expected " + ForwardSpec.EXPECTED,
        "tcp:8080                 # found '8080', expected " + ForwardSpec.EXPECTED,
        "tcp:0:80                 # found '0', expected HOSTPORT a port 1..65535",
        "tcp:8080:65536           # found '65536', expected NSPORT a port 1..65535",
        "tcp:http:80              # found 'http', expected HOSTPORT a port 1..65535 or a range LO-HI",
        "tcp:8080:-80             # found '-80', expected NSPORT a port 1..65535 or a range LO-HI",
        "tcp:8010-8000:80-90      # found '8010-8000', expected HOSTPORT range LO-HI with LO <= HI",
        "tcp:8000-8010:80-81      # found '8000-8010:80-81', expected host and namespace port ranges of the same length",
        "tcp:1-2000:1-2000        # found '1-2000', expected at most 1024 ports in one range",
        "tcp:[::1:8080:80         # found '[::1:8080:80', expected ']' closing the IPv6 address",
        "tcp:[::1]8080:80         # found '[::1]8080:80', expected ':' after the ']' of an IPv6 address",
        "tcp:::1:8080:80          # found '::1:8080:80', expected at most 4 ':'-separated parts (an IPv6 address goes in brackets, e.g. tcp:[::1]:8080:80)",
        "tcp:1.2.3:8080:80        # found '1.2.3', expected HOSTADDR an IPv4 address or an IPv6 address in brackets, e.g. 127.0.0.1 or [::1]",
        "tcp:8080:[10.0.2.100]:80 # found '[10.0.2.100]', expected NSADDR an IPv4 address or an IPv6 address in brackets, e.g. 127.0.0.1 or [::1]",
        "tcp:8080:127.0.0.1:80    # found '127.0.0.1', expected NSADDR a unicast address the namespace receives on its TUN device (not loopback, unspecified or multicast)",
        "udp:224.0.0.1:5353:53    # found '224.0.0.1', expected HOSTADDR a unicast address of this host"})
    @DisplayName("bad values: the exact message, exit 2 on the command line, FILE:LINE: in a config file")
    void bad(String text, String message) throws IOException {
        assertEquals(message, assertThrows(ForwardSpec.BadSpec.class, () -> ForwardSpec.parse(text)).getMessage());

        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.execute(new String[] {"run", "--netns", "x", "--forward", text}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, exit, err.toString());
        assertEquals("tungate: invalid --forward: " + message, err.toString().strip());

        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "# a forward\nforward = " + text + "\n");
        assertEquals(conf + ":2: forward: " + message,
                assertThrows(ConfigException.class, () -> ConfigFile.parse(conf, new GatewayConfig())).getMessage());
    }
}
