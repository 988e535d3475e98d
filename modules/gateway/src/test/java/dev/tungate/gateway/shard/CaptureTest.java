package dev.tungate.gateway.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway writes captures as root: never through a link, never over a file, never readable by others. */
class CaptureTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a new capture file is mode 0600")
    void privateFile() throws IOException {
        Path f = dir.resolve("c.pcap");
        new Capture(f).close();
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(f));
        assertEquals(24, Files.size(f), "the pcap global header");
    }

    @Test
    @DisplayName("a symlink at the capture path is refused, and its target is untouched")
    void symlinkRefused() throws IOException {
        Path victim = Files.writeString(dir.resolve("shadow"), "secret");
        Path link = Files.createSymbolicLink(dir.resolve("c.pcap"), victim);
        IOException e = assertThrows(IOException.class, () -> new Capture(link));
        assertTrue(e.getMessage().startsWith(link + " exists; expected a new file"), e.getMessage());
        assertEquals("secret", Files.readString(victim));
    }

    @Test
    @DisplayName("an existing file is never replaced")
    void existingRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("c.pcap"), "keep");
        assertThrows(IOException.class, () -> new Capture(f));
        assertEquals("keep", Files.readString(f));
    }
}
