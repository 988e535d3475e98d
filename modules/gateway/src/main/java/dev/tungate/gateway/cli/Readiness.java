package dev.tungate.gateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Option;

/**
 * How a supervisor learns that {@code run} is serving, three ways at once, all at the moment
 * {@code ready} is printed: the PID file is written, "1" is written to {@code --ready-fd} and the fd
 * closed (slirp4netns's convention), and READY=1 goes to systemd when {@code NOTIFY_SOCKET} is set
 * ({@code Type=notify}). On stop, STOPPING=1 goes first and the PID file is removed last.
 */
public final class Readiness {
    private static final Logger log = LogManager.getLogger();

    @Option(names = "--ready-fd", paramLabel = "FD",
            description = "write \"1\" to this inherited file descriptor and close it once serving (as slirp4netns)")
    Integer readyFd;

    @Option(names = "--pid-file", paramLabel = "FILE",
            description = "write the process id to FILE once serving; removed on exit")
    Path pidFile;

    /** Checks what can be checked before starting, so a bad option fails before the namespace is touched. */
    void check() {
        if (readyFd != null && (readyFd < 0 || !SdNotify.isOpen(readyFd))) {
            throw new UsageError("--ready-fd " + readyFd + " is not an open file descriptor: expected one the caller "
                    + "passed, e.g. 'tungate run --ready-fd 3 ... 3>FILE'");
        }
        if (pidFile != null && pidFile.toAbsolutePath().getParent() != null
                && !Files.isDirectory(pidFile.toAbsolutePath().getParent())) {
            throw new UsageError("--pid-file " + pidFile + ": no directory " + pidFile.toAbsolutePath().getParent()
                    + "; expected a path in an existing directory");
        }
    }

    /** Everything a supervisor waits for; called once, when the gateway serves. */
    void ready(String status) {
        if (pidFile != null) {
            writePidFile();
        }
        if (readyFd != null) {
            SdNotify.writeAndClose(readyFd, "1");
        }
        notifySystemd("READY=1\nSTATUS=" + status);
    }

    /** Called as soon as the stop begins. */
    void stopping() {
        notifySystemd("STOPPING=1");
    }

    /** Called last, after the gateway is closed. */
    void stopped() {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                log.warn("--pid-file {}: {}", pidFile, e.getMessage());
            }
        }
    }

    private static void notifySystemd(String state) {
        try {
            SdNotify.notify(System.getenv(SdNotify.ENV), state);
        } catch (RuntimeException e) {
            // The service still works; systemd will time out and say so as well.
            log.warn("{}", e.getMessage());
        }
    }

    /** Written to a temporary file and moved, so a reader never sees an empty or partial PID. */
    private void writePidFile() {
        Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
            Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UsageError("--pid-file " + pidFile + ": cannot write: " + e.getMessage());
        }
    }
}
