package dev.tungate.tcp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CongestionControls: the configured name picks the controller")
class CongestionControlsTest {
    @Test
    @DisplayName("names are case-insensitive")
    void namesPickControllers() {
        assertInstanceOf(Cubic.class, CongestionControls.create("CUBIC", 1460));
        assertInstanceOf(NewReno.class, CongestionControls.create("newreno", 1460));
    }

    @Test
    @DisplayName("an unknown name or a non-positive SMSS is a configuration error")
    void rejectsBadConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CongestionControls.create("bbr", 1460));
        assertEquals("congestion control: expected \"cubic\" or \"newreno\", got \"bbr\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CongestionControls.create("cubic", 0));
    }
}
