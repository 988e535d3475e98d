package dev.tungate.gateway.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A control socket path that can be bound, checked at start-up so a bad one is reported with the
 * path rather than as a bind error after the device is up.
 */
public final class ControlPath {
    private ControlPath() { }

    /** sun_path is 108 bytes with its NUL (unix(7)). */
    static final int MAX_BYTES = 107;
    /** What a good path looks like, for "expected ..." in errors. */
    public static final String EXPECTED = "a socket path of at most " + MAX_BYTES
            + " bytes whose directory exists or can be created, e.g. /run/tungate/box.sock";

    /** The path when usable; else IllegalArgumentException with {@link #EXPECTED}. */
    public static Path check(String text) {
        Path p;
        try {
            p = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(EXPECTED, e);
        }
        if (text.isEmpty() || p.getParent() == null || Files.isDirectory(p)
                || p.toString().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException(EXPECTED);
        }
        // The nearest existing ancestor must be a directory for createDirectories to succeed.
        for (Path dir = p.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(EXPECTED);
                }
                break;
            }
        }
        return Path.of(text);
    }
}
