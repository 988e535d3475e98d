package dev.tungate.gateway.confine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The allow list as the kernel gets it: calls found missing by running the gateway (exec's process reaper on
 * JDK 17 was denied waitid, audit syscall=247) stay allowed, and every name resolves on x86-64.
 */
class SeccompFilterTest {
    @Test
    void execReaperMayWaitForItsChild() {
        int[] x86 = SeccompFilter.of("x86_64", SeccompFilter.AUDIT_ARCH_X86_64).allowed();
        int[] arm = SeccompFilter.of("aarch64", SeccompFilter.AUDIT_ARCH_AARCH64).allowed();
        assertTrue(Arrays.stream(x86).anyMatch(n -> n == 247), "waitid (247) allowed on x86_64");
        assertTrue(Arrays.stream(arm).anyMatch(n -> n == 95), "waitid (95) allowed on aarch64");
    }

    @Test
    void everyNameIsAnX86SystemCall() {
        assertEquals(List.of(), SeccompFilter.of("x86_64", SeccompFilter.AUDIT_ARCH_X86_64).unknownNames());
    }
}
