package dev.tungate.gateway.confine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Linux capabilities of the calling thread (capabilities(7)). They are per thread: capset(2) and
 * PR_CAPBSET_DROP change only the thread that calls them, and a new thread copies its creator's.
 * So {@link #limitThisThread} must run on each thread that is to lose them.
 */
final class Capabilities {
    private Capabilities() { }

    /** Highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap), 40 if unreadable. */
    static int lastCap() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
        } catch (IOException | NumberFormatException e) {
            return 40;
        }
    }

    /**
     * Shrinks the calling thread's bounding set to {@code keep} (a bit mask of CAP_* numbers) and
     * clears its ambient set: nothing it execs can get more. Needs CAP_SETPCAP, so it comes first.
     */
    static void boundThisThread(long keep) {
        int last = lastCap();
        // The bounding set first: dropping from it needs CAP_SETPCAP, which the capset below removes.
        for (int cap = 0; cap <= last; cap++) {
            if ((keep & (1L << cap)) == 0 && Kernel.C.prctl(Kernel.PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
                throw Kernel.failure("prctl(PR_CAPBSET_DROP, " + cap + ")");
            }
        }
        if (Kernel.C.prctl(Kernel.PR_CAP_AMBIENT, Kernel.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
            throw Kernel.failure("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
        }
    }

    /** Leaves the calling thread exactly {@code keep} in its effective and permitted sets, nothing inheritable. */
    static void limitThisThread(long keep) {
        Pointer header = header();
        Pointer data = Memory.allocateDirect(Kernel.RUNTIME, 24);
        for (int word = 0; word < 2; word++) {
            int bits = (int) (keep >>> (32 * word));
            data.putInt(12 * word, bits);       // effective
            data.putInt(12 * word + 4, bits);   // permitted
            data.putInt(12 * word + 8, 0);      // inheritable
        }
        if (Kernel.C.capset(header, data) != 0) {
            throw Kernel.failure("capset");
        }
    }

    /** The calling thread's effective set as a bit mask. */
    static long effective() {
        Pointer data = Memory.allocateDirect(Kernel.RUNTIME, 24);
        if (Kernel.C.capget(header(), data) != 0) {
            throw Kernel.failure("capget");
        }
        return (data.getInt(0) & 0xFFFF_FFFFL) | ((long) data.getInt(12) << 32);
    }

    private static Pointer header() {
        Pointer header = Memory.allocateDirect(Kernel.RUNTIME, 8);
        header.putInt(0, Kernel.LINUX_CAPABILITY_VERSION_3);
        header.putInt(4, 0);   // pid 0: the calling thread
        return header;
    }
}
