package dev.tungate.gateway.it;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a gateway process holds, read from outside after a full GC: Java heap in use (jcmd GC.heap_info),
 * native memory the JVM's NMT files under "Other" (where Unsafe.allocateMemory, so Netty's direct buffers and
 * pool chunks, is counted on JDK 17; needs -XX:NativeMemoryTracking=summary at start), resident set size
 * and open file descriptors.
 */
record ProcessMemory(long heapUsedKiB, long directKiB, long rssKiB, int fds) {
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern NMT_OTHER = Pattern.compile("Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    /** The JVM option that makes {@link #directKiB} available. */
    static final String NMT_OPTION = "-XX:NativeMemoryTracking=summary";

    static ProcessMemory of(Gateway gw) {
        String pid = Long.toString(gw.pid());
        Exec.run(JCMD_TIMEOUT, List.of("jcmd", pid, "GC.run")).expectOk("jcmd GC.run");
        long heap = find(HEAP_USED, Exec.run(JCMD_TIMEOUT, List.of("jcmd", pid, "GC.heap_info")).expectOk("jcmd GC.heap_info").out());
        long direct = find(NMT_OTHER, Exec.run(JCMD_TIMEOUT, List.of("jcmd", pid, "VM.native_memory", "summary"))
                .expectOk("jcmd VM.native_memory").out());
        long rss = find(RSS, Exec.read(java.nio.file.Path.of("/proc", pid, "status")));
        return new ProcessMemory(heap, direct, rss, gw.openFds());
    }

    private static long find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + p + " in:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    @Override
    public String toString() {
        return String.format("heap %d KiB, direct (NMT Other) %d KiB, RSS %d KiB, %d fds", heapUsedKiB, directKiB, rssKiB, fds);
    }
}
