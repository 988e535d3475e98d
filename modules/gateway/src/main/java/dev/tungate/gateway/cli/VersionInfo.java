package dev.tungate.gateway.cli;

import io.netty.util.Version;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code tungate --version}, as {@code pasta --version} and {@code ss -V} answer: the build's version
 * and git commit ({@code tungate-version.properties}, written by the build), then the Netty, JDK
 * and kernel versions this process actually runs on.
 */
final class VersionInfo implements IVersionProvider {
    static final String RESOURCE = "/tungate-version.properties";

    @Override
    public String[] getVersion() {
        Properties build = build();
        List<String> lines = new ArrayList<>();
        lines.add("tungate " + known(build.getProperty("version")) + " (commit " + known(build.getProperty("commit"))
                + (Boolean.parseBoolean(build.getProperty("dirty")) ? ", with local changes" : "") + ")");
        lines.add("netty " + netty());
        lines.add("java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        lines.add("kernel " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        return lines.toArray(new String[0]);
    }

    /** The build properties; empty when running from classes Maven has not processed. */
    static Properties build() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Unknown then; --version still answers with what the running process knows.
        }
        return p;
    }

    /** A missing or placeholder value reads as "unknown". */
    static String known(String v) {
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }

    /** The version of netty-transport, which the epoll transport and the buffers are released with. */
    private static String netty() {
        Map<String, Version> versions = Version.identify(VersionInfo.class.getClassLoader());
        Version v = versions.get("netty-transport");
        if (v == null && !versions.isEmpty()) {
            v = versions.values().iterator().next();
        }
        return v == null ? "unknown" : v.artifactVersion() + " (commit " + v.shortCommitHash() + ")";
    }
}
