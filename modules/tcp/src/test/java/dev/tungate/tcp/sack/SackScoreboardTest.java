package dev.tungate.tcp.sack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.wire.TcpOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The scoreboard across the sequence wrap: SND.UNA = 0xFFFF_FFF0, ten 100-byte segments sent,
 * so segment k covers [UNA + 100k, UNA + 100k + 100) and the space wraps inside segment 0.
 */
@DisplayName("SackScoreboard (RFC 2018, RFC 2883, RFC 6675 §4)")
class SackScoreboardTest {
    static final int SMSS = 100;
    static final int UNA = 0xFFFF_FFF0;
    static final int NXT = UNA + 1000;

    final SackScoreboard sb = new SackScoreboard();
    final TcpOptions opts = new TcpOptions();

    /** seg(k) is the first octet of segment k. */
    static int seg(int k) {
        return UNA + k * SMSS;
    }

    /** An ACK of {@code ack} carrying the given [left, right) pairs. */
    int ack(int ack, int... edges) {
        opts.clear();
        opts.sackBlocks = edges.length / 2;
        for (int i = 0; i < opts.sackBlocks; i++) {
            opts.sackLeft[i] = edges[2 * i];
            opts.sackRight[i] = edges[2 * i + 1];
        }
        return sb.onAck(ack, NXT, opts);
    }

    @Nested
    @DisplayName("applying SACK blocks (RFC 2018 §4)")
    class Blocks {
        @Test
        @DisplayName("a block marks its octets SACKed and reports them as new")
        void singleBlock() {
            assertEquals(200, ack(UNA, seg(1), seg(3)));
            assertFalse(sb.isSacked(seg(1) - 1));
            assertTrue(sb.isSacked(seg(1)));
            assertTrue(sb.isSacked(seg(3) - 1));
            assertFalse(sb.isSacked(seg(3)));
            assertEquals(seg(3), sb.highestSacked());
            assertEquals(200, sb.sackedBytes());
        }

        @Test
        @DisplayName("overlapping and touching blocks merge; only octets not SACKed before count as new")
        void mergeOverlappingAndTouching() {
            ack(UNA, seg(2), seg(3), seg(5), seg(6));
            assertEquals(2, sb.blockCount());
            assertEquals(200, ack(UNA, seg(3), seg(5)), "fills the gap exactly, touching both sides");
            assertEquals(1, sb.blockCount());
            assertEquals(50, ack(UNA, seg(1) + 50, seg(4)));
            assertEquals(1, sb.blockCount());
            assertEquals(450, sb.sackedBytes());
        }

        @Test
        @DisplayName("the same block again adds nothing (RFC 2883 D-SACK above SND.UNA)")
        void repeatedBlockAddsNothing() {
            ack(UNA, seg(4), seg(6));
            assertEquals(0, ack(UNA, seg(4), seg(5)));
            assertEquals(200, sb.sackedBytes());
        }

        @Test
        @DisplayName("RFC 2883 §4: a D-SACK block at or below SND.UNA is ignored")
        void dsackBelowUnaIgnored() {
            assertEquals(0, ack(seg(2), seg(0), seg(1), seg(1), seg(2)));
            assertTrue(sb.isEmpty());
            assertEquals(seg(2), sb.highestSacked(), "no block: highestSacked is SND.UNA");
        }

        @Test
        @DisplayName("a block straddling SND.UNA counts only from SND.UNA")
        void straddlingBlockClipped() {
            assertEquals(100, ack(seg(2), seg(1), seg(3)));
            assertFalse(sb.isSacked(seg(2) - 1));
            assertTrue(sb.isSacked(seg(2)));
        }

        @Test
        @DisplayName("empty, inverted and beyond-SND.NXT blocks are ignored")
        void bogusBlocksIgnored() {
            assertEquals(0, ack(UNA, seg(3), seg(3), seg(5), seg(4), seg(9), seg(11)));
            assertTrue(sb.isEmpty());
        }

        @Test
        @DisplayName("the cumulative ACK drops the blocks it covers and trims the one it cuts")
        void cumulativeAckDropsAndTrims() {
            ack(UNA, seg(1), seg(2), seg(3), seg(5));
            ack(seg(4));
            assertEquals(1, sb.blockCount());
            assertEquals(100, sb.sackedBytes());
            assertFalse(sb.isSacked(seg(3)));
            assertTrue(sb.isSacked(seg(4)));
            ack(seg(5));
            assertTrue(sb.isEmpty());
            assertEquals(0, sb.sackedBytes());
        }

        @Test
        @DisplayName("RFC 6675 §5.1: reset forgets every range")
        void resetForgets() {
            ack(UNA, seg(1), seg(2));
            sb.reset();
            assertTrue(sb.isEmpty());
            assertEquals(0, sb.sackedBytes());
            assertFalse(sb.isSacked(seg(1)));
        }

        @Test
        @DisplayName("when full, the highest ranges are forgotten and the lowest kept")
        void capacityKeepsLowest() {
            SackScoreboard small = new SackScoreboard(2);
            opts.clear();
            opts.sackBlocks = 3;
            int[] l = {seg(3), seg(5), seg(7)};
            int[] r = {seg(4), seg(6), seg(8)};
            System.arraycopy(l, 0, opts.sackLeft, 0, 3);
            System.arraycopy(r, 0, opts.sackRight, 0, 3);
            assertEquals(200, small.onAck(UNA, NXT, opts));
            assertEquals(seg(6), small.highestSacked());
            opts.sackBlocks = 1;
            opts.sackLeft[0] = seg(1);
            opts.sackRight[0] = seg(2);
            assertEquals(100, small.onAck(UNA, NXT, opts));
            assertTrue(small.isSacked(seg(1)));
            assertTrue(small.isSacked(seg(3)));
            assertFalse(small.isSacked(seg(5)));
            assertEquals(200, small.sackedBytes());
        }
    }

    @Nested
    @DisplayName("RFC 6675 §4 IsLost")
    class IsLost {
        @Test
        @DisplayName("more than (DupThresh - 1) * SMSS bytes SACKed above: lost")
        void bytesAboveThreshold() {
            ack(UNA, seg(1), seg(3));
            assertFalse(sb.isLost(seg(0), SMSS), "exactly 2 * SMSS above is not more than 2 * SMSS");
            ack(UNA, seg(3), seg(3) + 1);
            assertTrue(sb.isLost(seg(0), SMSS));
            assertFalse(sb.isLost(seg(1), SMSS), "only 200 octets lie above seg(1)");
        }

        @Test
        @DisplayName("DupThresh discontiguous SACKed ranges above: lost, however small")
        void discontiguousRangesAbove() {
            ack(UNA, seg(2), seg(2) + 10, seg(4), seg(4) + 10);
            assertFalse(sb.isLost(seg(0), SMSS));
            ack(UNA, seg(6), seg(6) + 10);
            assertTrue(sb.isLost(seg(0), SMSS));
            assertFalse(sb.isLost(seg(3), SMSS));
        }

        @Test
        @DisplayName("RFC 6675 §2/§4 + RFC 4653: with DupThresh raised to 5, three small SACKed ranges above do not make a hole lost, five do")
        void learnedDupThreshScalesBlockRule() {
            ack(UNA, seg(2), seg(2) + 10, seg(4), seg(4) + 10, seg(6), seg(6) + 10);
            assertTrue(sb.isLost(seg(0), SMSS, 3), "three ranges meet the RFC's DupThresh of 3");
            assertFalse(sb.isLost(seg(0), SMSS, 5), "three ranges, 30 octets: neither rule of DupThresh 5 holds");
            ack(UNA, seg(7), seg(7) + 10, seg(8), seg(8) + 10);
            assertTrue(sb.isLost(seg(0), SMSS, 5), "five discontiguous ranges above");
            assertFalse(sb.isLost(seg(3), SMSS, 5), "only four ranges lie above seg(3)");
        }

        @Test
        @DisplayName("RFC 6675 §4 with DupThresh 5: lost only when more than (5 - 1) * SMSS bytes are SACKed above")
        void learnedDupThreshScalesByteRule() {
            ack(UNA, seg(1), seg(5));
            assertFalse(sb.isLost(seg(0), SMSS, 5), "exactly 4 * SMSS above");
            ack(UNA, seg(5), seg(5) + 1);
            assertTrue(sb.isLost(seg(0), SMSS, 5));
        }
    }

    @Nested
    @DisplayName("RFC 6675 §4 SetPipe")
    class SetPipe {
        @Test
        @DisplayName("a lost hole is out of the pipe; unSACKed octets above the highest block are in it")
        void lostHoleNotInPipe() {
            ack(UNA, seg(1), seg(4));
            assertEquals(600, sb.pipe(UNA, NXT, UNA, SMSS));
        }

        @Test
        @DisplayName("a hole not yet lost stays in the pipe")
        void holeNotLostInPipe() {
            ack(UNA, seg(1), seg(3));
            assertEquals(100 + 700, sb.pipe(UNA, NXT, UNA, SMSS));
        }

        @Test
        @DisplayName("(b): retransmitted octets below HighRxt count once more")
        void retransmittedCountAgain() {
            ack(UNA, seg(1), seg(4));
            assertEquals(700, sb.pipe(UNA, NXT, seg(1), SMSS));
            assertEquals(100 + 600 + 300, sb.pipe(UNA, NXT, seg(7), SMSS), "seg(0) and seg(4..6) retransmitted");
        }

        @Test
        @DisplayName("without SACK information the pipe is the flight size")
        void emptyScoreboardPipeIsFlight() {
            ack(UNA);
            assertEquals(1000, sb.pipe(UNA, NXT, UNA, SMSS));
        }

        @Test
        @DisplayName("SetPipe under a learned DupThresh of 5: a hole with three ranges above is not lost and stays in the pipe")
        void learnedDupThreshKeepsHoleInPipe() {
            ack(UNA, seg(2), seg(2) + 10, seg(4), seg(4) + 10, seg(6), seg(6) + 10);
            assertEquals(1000 - 30 - 200, sb.pipe(UNA, NXT, UNA, SMSS, 3), "only the hole below seg(2) is lost");
            assertEquals(1000 - 30, sb.pipe(UNA, NXT, UNA, SMSS, 5));
        }
    }

    @Nested
    @DisplayName("RFC 6675 §4 NextSeg rule (1)")
    class NextSeg {
        final int[] len = new int[1];

        @Test
        @DisplayName("the first lost hole at or after 'from', its length capped at maxLen")
        void firstLostHole() {
            ack(UNA, seg(1), seg(4));
            assertEquals(UNA, sb.nextLostHole(UNA, NXT, SMSS, 1460, len));
            assertEquals(100, len[0]);
            assertEquals(UNA + 40, sb.nextLostHole(UNA + 40, NXT, SMSS, 1460, len));
            assertEquals(60, len[0]);
            sb.nextLostHole(UNA, NXT, SMSS, 30, len);
            assertEquals(30, len[0]);
        }

        @Test
        @DisplayName("skips holes that are not lost and SACKed octets; -1 when nothing is lost")
        void skipsAndNone() {
            ack(UNA, seg(1), seg(2), seg(3), seg(6));
            assertEquals(seg(2), sb.nextLostHole(seg(1), NXT, SMSS, 1460, len));
            assertEquals(100, len[0]);
            sb.nextLostHole(seg(3), NXT, SMSS, 1460, len);
            assertEquals(-1, len[0], "above the highest block nothing is lost");
            ack(UNA, seg(8), seg(9), seg(9) + 50, seg(9) + 60);
            sb.nextLostHole(seg(3), NXT, SMSS, 1460, len);
            assertEquals(-1, len[0], "two ranges, 110 octets above [seg(6), seg(8)): not lost");
            ack(UNA, seg(9) + 70, seg(9) + 80);
            assertEquals(seg(6), sb.nextLostHole(seg(3), NXT, SMSS, 1460, len));
            assertEquals(200, len[0], "three discontiguous ranges above: lost");
        }

        @Test
        @DisplayName("NextSeg under a learned DupThresh: none lost at 5; with DupThresh 1 (rule (3)) any hole below a SACKed octet")
        void learnedDupThresh() {
            ack(UNA, seg(2), seg(2) + 10, seg(4), seg(4) + 10, seg(6), seg(6) + 10);
            assertEquals(UNA, sb.nextLostHole(UNA, NXT, SMSS, 3, 1460, len));
            assertEquals(200, len[0]);
            sb.nextLostHole(UNA, NXT, SMSS, 5, 1460, len);
            assertEquals(-1, len[0]);
            assertEquals(seg(4) + 10, sb.nextLostHole(seg(4) + 5, NXT, SMSS, 1, 1460, len));
            assertEquals(190, len[0]);
        }
    }

    @Test
    @DisplayName("applying ACKs allocates nothing")
    void noAllocationPerAck() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int[] len = new int[1];
        for (int round = 0; round < 2; round++) {
            long before = mx.getThreadAllocatedBytes(thread);
            opts.clear();
            opts.sackBlocks = 2;
            for (int i = 0; i < 10_000; i++) {
                int base = seg(0) + (i % 7) * 10;
                opts.sackLeft[0] = base + 300;
                opts.sackRight[0] = base + 400;
                opts.sackLeft[1] = base + 500;
                opts.sackRight[1] = base + 600;
                sb.onAck(base, NXT, opts);
                sb.pipe(base, NXT, base, SMSS);
                sb.nextLostHole(base, NXT, SMSS, 1460, len);
            }
            long allocated = mx.getThreadAllocatedBytes(thread) - before;
            if (round == 1) {
                // Any allocation per call would be at least 16 bytes each time; the JVM itself may
                // allocate a few bytes on this thread (deoptimization, profiling) now and then.
                assertTrue(allocated < 10_000, "allocated " + allocated + " bytes in 10,000 ACKs");
            }
        }
    }
}
