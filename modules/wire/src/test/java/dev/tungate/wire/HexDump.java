package dev.tungate.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code tcpdump -xx} output from a test resource: one byte[] per frame, '#' lines are comments. */
final class HexDump {
    private HexDump() { }

    static List<byte[]> frames(String resource) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        StringBuilder hex = null;
        try (InputStream in = HexDump.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (!Character.isWhitespace(line.charAt(0))) { // a summary line starts the next frame
                    if (hex != null) {
                        frames.add(Hex.bytes(hex.toString()));
                    }
                    hex = new StringBuilder();
                } else {
                    hex.append(line.substring(line.indexOf(':') + 1));
                }
            }
        }
        if (hex != null) {
            frames.add(Hex.bytes(hex.toString()));
        }
        return frames;
    }
}
