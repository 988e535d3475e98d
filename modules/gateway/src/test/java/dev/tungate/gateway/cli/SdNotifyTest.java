package dev.tungate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify(3) as systemd receives it: a datagram on the socket NOTIFY_SOCKET names (sd_notify(3), unix(7)). */
class SdNotifyTest {
    @Test
    @DisplayName("READY=1 arrives as one datagram on a socket file the test listens on")
    void readyToPathSocket(@TempDir Path dir) throws Exception {
        try (NotifyListener systemd = new NotifyListener(dir.resolve("notify").toString())) {
            assertTrue(SdNotify.notify(systemd.address(), "READY=1\nSTATUS=serving"));
            assertEquals("READY=1\nSTATUS=serving", systemd.next(5, TimeUnit.SECONDS));
        }
    }

    @Test
    @DisplayName("'@name' is the abstract namespace: a leading NUL and no trailing one (systemd's own form)")
    void stoppingToAbstractSocket() throws Exception {
        try (NotifyListener systemd = new NotifyListener("@tg-test-notify-" + ProcessHandle.current().pid())) {
            assertTrue(SdNotify.notify(systemd.address(), "STOPPING=1"));
            assertEquals("STOPPING=1", systemd.next(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void sockaddrOfAbstractName() {
        assertArrayEquals(new byte[] {1, 0, 0, 'a', 'b'}, SdNotify.sockaddrUn("@ab"));
        assertArrayEquals(new byte[] {1, 0, '/', 'x', 0}, SdNotify.sockaddrUn("/x"));
    }

    @Test
    @DisplayName("no NOTIFY_SOCKET: not started by systemd, nothing to tell")
    void unsetIsANoOp() {
        assertFalse(SdNotify.notify(null, "READY=1"));
        assertFalse(SdNotify.notify("", "READY=1"));
    }

    @Test
    void nobodyListeningIsAnError(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SdNotify.notify(dir.resolve("absent").toString(), "READY=1"));
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @Test
    void relativePathIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SdNotify.sockaddrUn("notify"));
    }

    @Test
    @DisplayName("--ready-fd: \"1\" written to the fd, then the fd closed")
    void readyFdGetsOneAndIsClosed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ready");
        // A raw fd of our own (O_WRONLY | O_CREAT | O_CLOEXEC), as a parent process would pass one.
        int fd = Open.C.open(file.toString(), 0x1 | 0x40 | 0x80000, 0600);
        assertTrue(fd >= 0 && SdNotify.isOpen(fd));
        SdNotify.writeAndClose(fd, "1");
        assertFalse(refersTo(fd, file), "the fd is closed after the write");
        assertEquals("1", Files.readString(file));
    }

    /** True when fd is open on file; another test's file may take the number once it is closed. */
    private static boolean refersTo(int fd, Path file) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).equals(file);
        } catch (IOException closed) {
            return false;
        }
    }

    /** open(2), for a raw fd no Java stream owns. */
    public interface Open {
        Open C = jnr.ffi.LibraryLoader.create(Open.class).load("c");

        int open(String path, int flags, int mode);
    }
}
