package dev.tungate.gateway.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** A file of seeded random bytes and its SHA-256, the reference a transfer is checked against. */
record Blob(Path path, long size, String sha256) implements AutoCloseable {

    static Blob create(Path dir, String name, long size, long seed) {
        Path path = dir.resolve(name);
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(path)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (long left = size; left > 0; left -= chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long v = rnd.nextLong();
                    for (int b = 0; b < 8; b++) chunk[i + b] = (byte) (v >>> (8 * b));
                }
                int n = (int) Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                sha.update(chunk, 0, n);
            }
            return new Blob(path, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
