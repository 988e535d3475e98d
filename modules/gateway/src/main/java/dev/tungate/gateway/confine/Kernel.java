package dev.tungate.gateway.confine;

import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The libc calls confinement needs (capget/capset, prctl, seccomp through syscall(2)), bound with
 * jnr-ffi. Every call saves errno; read it with {@link #errno()} on the same thread right after.
 */
final class Kernel {
    private Kernel() { }

    @SaveError
    public interface Native {
        int capget(Pointer header, Pointer data);
        int capset(Pointer header, Pointer data);
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);
        long syscall(long number, long arg1, long arg2, Pointer arg3);
        /** glibc's setresuid changes every thread of the process (its setxid broadcast), as POSIX asks. */
        int setresuid(int ruid, int euid, int suid);
        /** setfsuid changes the calling thread only; it answers the previous fsuid. */
        int setfsuid(int fsuid);
    }

    static final Native C = LibraryLoader.create(Native.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(C);

    // <linux/prctl.h>
    static final int PR_CAPBSET_DROP = 24, PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_CLEAR_ALL = 4;
    // <linux/capability.h>
    static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    static final int CAP_NET_RAW = 13;
    /** The overflow uid, "nobody": owns nothing we need. */
    static final int NOBODY = 65534;

    static int errno() {
        return RUNTIME.getLastError();
    }

    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description();
    }

    /** An IllegalStateException naming the call and errno, for set-up failures the CLI reports in one line. */
    static IllegalStateException failure(String call) {
        return new IllegalStateException(call + ": " + describe(errno()));
    }
}
