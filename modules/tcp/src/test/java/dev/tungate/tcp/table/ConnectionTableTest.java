package dev.tungate.tcp.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ConnectionTable: open addressing over primitive 4-tuple keys")
class ConnectionTableTest {
    static final long A = ConnectionTable.mappedV4Lo(0xC612_0002);   // 198.18.0.2
    static final long B = ConnectionTable.mappedV4Lo(0x7F00_0001);   // 127.0.0.1

    final ConnectionTable<String> table = new ConnectionTable<>(4);

    @Test
    @DisplayName("RFC 4291 §2.5.5.2: an IPv4 address maps to ::ffff:a.b.c.d, hi = 0")
    void mappedV4() {
        assertEquals(0x0000_ffff_c612_0002L, A);
        assertEquals(0x0000_ffff_ffff_ffffL, ConnectionTable.mappedV4Lo(-1));
    }

    @Test
    @DisplayName("put, get and remove one flow; put returns the previous value")
    void putGetRemove() {
        assertNull(table.put(0, A, 40000, 0, B, 80, "one"));
        assertEquals("one", table.get(0, A, 40000, 0, B, 80));
        assertEquals("one", table.put(0, A, 40000, 0, B, 80, "two"));
        assertEquals(1, table.size());
        assertEquals("two", table.remove(0, A, 40000, 0, B, 80));
        assertNull(table.get(0, A, 40000, 0, B, 80));
        assertNull(table.remove(0, A, 40000, 0, B, 80));
        assertEquals(0, table.size());
    }

    @Test
    @DisplayName("every key field tells flows apart, including swapped ports and directions")
    void everyFieldCounts() {
        table.put(0, A, 40000, 0, B, 80, "base");
        assertNull(table.get(0, A, 80, 0, B, 40000));
        assertNull(table.get(0, B, 40000, 0, A, 80));
        assertNull(table.get(1, A, 40000, 0, B, 80));
        assertNull(table.get(0, A, 40000, 1, B, 80));
        assertNull(table.get(0, A, 40001, 0, B, 80));
        assertNull(table.get(0, A, 40000, 0, B, 81));
        long v6Hi = 0x2001_0db8_0000_0000L;
        table.put(v6Hi, 1, 65535, v6Hi, 2, 0, "v6");
        assertEquals("v6", table.get(v6Hi, 1, 65535, v6Hi, 2, 0));
        assertEquals("base", table.get(0, A, 40000, 0, B, 80));
    }

    @Test
    @DisplayName("growing past half load keeps every entry")
    void growKeepsEntries() {
        ConnectionTable<Integer> t = new ConnectionTable<>(0);
        for (int i = 0; i < 5000; i++) {
            t.put(0, A, i, 0, B, 443, i);
        }
        assertEquals(5000, t.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals(i, t.get(0, A, i, 0, B, 443));
        }
    }

    @Test
    @DisplayName("null values are refused (null marks an empty slot)")
    void nullRefused() {
        assertThrows(NullPointerException.class, () -> table.put(0, A, 1, 0, B, 2, null));
    }

    @Test
    @DisplayName("200,000 random puts, gets and removes agree with a HashMap (seeded, small key space for long clusters)")
    void agreesWithHashMapModel() {
        SplittableRandom rnd = new SplittableRandom(0x7EA7_5EEDL);
        ConnectionTable<Long> t = new ConnectionTable<>(1);
        Map<Long, Long> model = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            int srcPort = rnd.nextInt(64);
            int dstPort = rnd.nextInt(4);
            int host = rnd.nextInt(4);
            long key = ((long) host << 32) | ((long) srcPort << 16) | dstPort;
            long srcLo = ConnectionTable.mappedV4Lo(0xC612_0000 + host);
            int kind = rnd.nextInt(10);
            if (kind < 4) {
                long value = rnd.nextLong();
                assertEquals(model.put(key, value), t.put(0, srcLo, srcPort, 0, B, dstPort, value), "put at op " + op);
            } else if (kind < 7) {
                assertEquals(model.remove(key), t.remove(0, srcLo, srcPort, 0, B, dstPort), "remove at op " + op);
            } else {
                assertEquals(model.get(key), t.get(0, srcLo, srcPort, 0, B, dstPort), "get at op " + op);
            }
            assertEquals(model.size(), t.size());
        }
        List<Long> seen = new ArrayList<>();
        t.forEach(seen::add);
        List<Long> expected = new ArrayList<>(model.values());
        seen.sort(null);
        expected.sort(null);
        assertEquals(expected, seen);
    }

    @Test
    @DisplayName("lookups allocate nothing")
    void getAllocatesNothing() {
        String v = "flow";
        table.put(0, A, 40000, 0, B, 80, v);
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int round = 0; round < 2; round++) {
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 100_000; i++) {
                if (table.get(0, A, 40000, 0, B, 80) != v || table.get(0, A, i, 0, B, 81) != null) {
                    throw new AssertionError("lookup " + i);
                }
            }
            long allocated = mx.getThreadAllocatedBytes(thread) - before;
            if (round == 1) {
                // Any allocation per call would be at least 16 bytes each time; the JVM itself may
                // allocate a few bytes on this thread (deoptimization, profiling) now and then.
                assertTrue(allocated < 100_000, "allocated " + allocated + " bytes in 200,000 lookups");
            }
        }
        assertSame(v, table.get(0, A, 40000, 0, B, 80));
    }
}
