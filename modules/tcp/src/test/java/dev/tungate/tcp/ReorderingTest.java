package dev.tungate.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reordering: the DupThresh IsLost uses")
class ReorderingTest {
    private static final int SMSS = 1000;
    private final Reordering r = new Reordering();

    @Test
    @DisplayName("RFC 5681 §3.2 / RFC 6675 §2: DupThresh is 3 until reordering is seen, whatever the flight")
    void initialThree() {
        assertEquals(3, r.lossThresh(2 * SMSS, SMSS));
        assertEquals(3, r.lossThresh(100 * SMSS, SMSS));
    }

    @Test
    @DisplayName("RFC 4653 §3 Careful variant: a learned DupThresh of 21 holds for flights of 32 segments and more; below, 2/3 of the flight (30: 20, 12: 8), never below 3")
    void learnedCappedByFlight() {
        r.observe(20 * SMSS, SMSS);                    // a hole filled 20 SMSS below the highest SACK
        assertEquals(21, r.dupThresh());
        assertEquals(20, r.lossThresh(30 * SMSS, SMSS));
        assertEquals(21, r.lossThresh(32 * SMSS, SMSS));
        assertEquals(8, r.lossThresh(12 * SMSS, SMSS));
        assertEquals(3, r.lossThresh(2 * SMSS, SMSS));
    }
}
