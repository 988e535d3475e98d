package dev.tungate.gateway.confine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A seccomp-bpf allow list (seccomp(2), Documentation/userspace-api/seccomp_filter.rst): the system
 * calls the gateway makes while serving, as traced (seccomp-allow.txt, see its header), by number
 * for this machine's architecture.
 *
 * <p>The program: a foreign architecture (an i386 int 0x80 entry, say) kills the process, since
 * numbers would mean other calls there; on x86-64 so does an x32 number (bit 30), for the same
 * reason. A listed number is allowed. Anything else fails with EPERM rather than killing: the list
 * comes from a trace of the tests, and a JVM path they did not reach (a rare GC or JIT call, a newer
 * JDK) should fail one operation, seen as an IOException or a logged error, not end every flow at
 * once. SECCOMP_FILTER_FLAG_LOG sends each denial to the kernel's audit log (dmesg: "type=1326 ...
 * syscall=N") so a missing entry is easy to find.
 */
final class SeccompFilter {
    // <linux/audit.h>
    static final int AUDIT_ARCH_X86_64 = 0xC000003E, AUDIT_ARCH_AARCH64 = 0xC00000B7;
    // <linux/seccomp.h>
    static final int SECCOMP_SET_MODE_FILTER = 1, SECCOMP_FILTER_FLAG_TSYNC = 1, SECCOMP_FILTER_FLAG_LOG = 2;
    static final int SECCOMP_RET_KILL_PROCESS = 0x8000_0000, SECCOMP_RET_ERRNO = 0x0005_0000, SECCOMP_RET_ALLOW = 0x7FFF_0000;
    static final int EPERM = 1;
    /** x32 system calls on x86-64 are numbered from here. */
    static final int X32_SYSCALL_BIT = 0x4000_0000;
    // <linux/filter.h>: BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_JMP|BPF_JGE|BPF_K, BPF_RET|BPF_K
    static final short LD_W_ABS = 0x20, JEQ_K = 0x15, JGE_K = 0x35, RET_K = 0x06;
    /** struct seccomp_data: nr at 0, arch at 4. */
    static final int OFFSET_NR = 0, OFFSET_ARCH = 4;
    /** A conditional jump reaches at most 255 instructions ahead. */
    static final int MAX_SYSCALLS = 250;

    private final String arch;
    private final int auditArch;
    private final int[] allowed;
    private final List<String> unknown;

    private SeccompFilter(String arch, int auditArch, int[] allowed, List<String> unknown) {
        this.arch = arch;
        this.auditArch = auditArch;
        this.allowed = allowed;
        this.unknown = unknown;
    }

    /** The allow list for os.arch (amd64 or aarch64); an IllegalStateException on any other. */
    static SeccompFilter forThisMachine() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> of("x86_64", AUDIT_ARCH_X86_64);
            case "aarch64" -> of("aarch64", AUDIT_ARCH_AARCH64);
            default -> throw new IllegalStateException("no seccomp filter for architecture " + a + "; expected amd64 or aarch64 (or --no-seccomp)");
        };
    }

    static SeccompFilter of(String arch, int auditArch) {
        Map<String, Integer> numbers = new HashMap<>();
        for (String line : lines("syscalls-" + arch + ".txt")) {
            String[] f = line.split(" ");
            numbers.put(f[0], Integer.parseInt(f[1]));
        }
        TreeSet<Integer> nrs = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : lines("seccomp-allow.txt")) {
            Integer nr = numbers.get(name);
            if (nr == null) {
                unknown.add(name);   // a legacy call this architecture does not have (open, poll, ... on aarch64)
            } else {
                nrs.add(nr);
            }
        }
        if (nrs.size() > MAX_SYSCALLS) {
            throw new IllegalStateException(nrs.size() + " system calls in the allow list; expected at most " + MAX_SYSCALLS);
        }
        return new SeccompFilter(arch, auditArch, nrs.stream().mapToInt(Integer::intValue).toArray(), unknown);
    }

    /** The BPF program, one long per instruction: code | jt << 16 | jf << 24 | k << 32 (struct sock_filter). */
    long[] program() {
        List<Long> p = new ArrayList<>();
        p.add(insn(LD_W_ABS, 0, 0, OFFSET_ARCH));
        p.add(insn(JEQ_K, 1, 0, auditArch));
        p.add(insn(RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS));
        p.add(insn(LD_W_ABS, 0, 0, OFFSET_NR));
        if (auditArch == AUDIT_ARCH_X86_64) {
            p.add(insn(JGE_K, 0, 1, X32_SYSCALL_BIT));
            p.add(insn(RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS));
        }
        int n = allowed.length;
        for (int i = 0; i < n; i++) {
            // Jump over the remaining n-1-i tests and the EPERM return, to ALLOW.
            p.add(insn(JEQ_K, n - i, 0, allowed[i]));
        }
        p.add(insn(RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM));
        p.add(insn(RET_K, 0, 0, SECCOMP_RET_ALLOW));
        return p.stream().mapToLong(Long::longValue).toArray();
    }

    private static long insn(short code, int jt, int jf, int k) {
        return (code & 0xFFFFL) | ((long) (jt & 0xFF) << 16) | ((long) (jf & 0xFF) << 24) | ((k & 0xFFFF_FFFFL) << 32);
    }

    /**
     * Installs the filter on every thread of the process (TSYNC). The calling thread must have
     * no_new_privs set; TSYNC then sets it on every other thread too.
     */
    void install() {
        long[] insns = program();
        Pointer filter = Memory.allocateDirect(Kernel.RUNTIME, insns.length * 8);
        for (int i = 0; i < insns.length; i++) {
            filter.putLong(i * 8L, insns[i]);   // little-endian on both architectures: the struct's layout
        }
        Pointer prog = Memory.allocateDirect(Kernel.RUNTIME, 16);   // struct sock_fprog { u16 len; sock_filter *filter; }
        prog.putShort(0, (short) insns.length);
        prog.putAddress(8, filter.address());
        long nr = auditArch == AUDIT_ARCH_X86_64 ? 317 : 277;   // __NR_seccomp: glibc has no wrapper
        long r = Kernel.C.syscall(nr, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG, prog);
        if (r != 0) {
            throw r > 0 ? new IllegalStateException("seccomp: thread " + r + " could not take the filter")
                    : Kernel.failure("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC)");
        }
    }

    /** For the log: how many calls are allowed and what happens to the rest. */
    String describe() {
        return allowed.length + " system calls allowed on " + arch + ", EPERM for the rest";
    }

    int[] allowed() {
        return allowed.clone();
    }

    List<String> unknownNames() {
        return unknown;
    }

    private static List<String> lines(String resource) {
        InputStream in = SeccompFilter.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("resource " + resource + " missing from the jar");
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                l = l.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(l);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
