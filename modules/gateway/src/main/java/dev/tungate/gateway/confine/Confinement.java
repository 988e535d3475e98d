package dev.tungate.gateway.confine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Least privilege once set-up is done (issue 8, item 6). Serving needs no capability at all, with
 * one exception: when net.ipv4.ping_group_range excludes our group, the ICMP echo relay opens raw
 * sockets per echo flow, so the shards' loops keep CAP_NET_RAW. Everything else that needed root
 * (the TUN device, netlink configuration, entering the namespace, the control socket) happened
 * during set-up on fds that stay open.
 *
 * <p>Capabilities belong to threads, not processes, so they are dropped on every thread tungate
 * owns: the shards' loops, the control socket's loop and worker, and the calling (main) thread;
 * threads those start later inherit the reduced sets. The JVM's own threads (GC, JIT, reference
 * handler, signal dispatcher, ...) cannot be made to run our code and keep theirs: the seccomp
 * filter, installed with SECCOMP_FILTER_FLAG_TSYNC on every thread of the process, is what bounds
 * them, together with no_new_privs (which TSYNC also sets on every thread).
 */
public final class Confinement {
    private static final Logger log = LogManager.getLogger();
    private static final long TASK_MILLIS = 2000;

    private Confinement() { }

    /**
     * Drops capabilities on {@code shardThreads} (keeping CAP_NET_RAW when ICMP needs raw sockets),
     * on {@code otherThreads} and on the calling thread, clears every other thread's effective set,
     * sets no_new_privs and, unless {@code seccomp} is false, installs the system call filter.
     * Fails with a one-line reason.
     */
    public static void apply(List<? extends ExecutorService> shardThreads, List<? extends ExecutorService> otherThreads,
            boolean seccomp) {
        long shardKeep = pingSocketsAllowed() ? 0 : 1L << Kernel.CAP_NET_RAW;
        // jnr-ffi starts its reference-cleaner thread on the first native allocation: let that happen now, while
        // every thread is still alike, so step 2 covers it (born later, it would copy a half-dropped set).
        Capabilities.effective();
        List<ExecutorService> all = new ArrayList<>(shardThreads);
        all.addAll(otherThreads);
        // 1. Bounding sets, while CAP_SETPCAP is still there.
        for (ExecutorService e : all) {
            onThread(e, () -> Capabilities.boundThisThread(shardThreads.contains(e) ? shardKeep : 0));
        }
        Capabilities.boundThisThread(0);
        // 2. euid 0 -> nobody on every thread (glibc broadcasts setresuid; each thread still has CAP_SETUID, so none
        //    can fail): the kernel clears the effective set of every thread, the JVM's own included. The real and
        //    saved uids stay 0, so signals to our root children (exec) still reach them.
        if (Kernel.C.setresuid(-1, Kernel.NOBODY, -1) != 0) {
            throw Kernel.failure("setresuid(-1, " + Kernel.NOBODY + ", -1)");
        }
        // 3. Our threads: files as uid 0 again (the control socket is removed from root's /run/tungate at exit;
        //    without CAP_DAC_OVERRIDE that is only the owner's right), exactly the kept capabilities, no_new_privs.
        for (ExecutorService e : all) {
            onThread(e, () -> limitThisThread(shardThreads.contains(e) ? shardKeep : 0));
        }
        limitThisThread(0);
        String filter = "off (--no-seccomp)";
        if (seccomp) {
            SeccompFilter f = SeccompFilter.forThisMachine();
            f.install();
            filter = f.describe();
        }
        log.debug("confined: capabilities {}, euid {}, no_new_privs, seccomp {}; threads with effective capabilities: {}",
                shardKeep == 0 ? "none" : "none (shard loops: cap_net_raw, for ICMP raw sockets)", Kernel.NOBODY, filter,
                privilegedThreads());
    }

    private static void limitThisThread(long keep) {
        Kernel.C.setfsuid(0);
        if (Kernel.C.setfsuid(-1) != 0) {
            throw new IllegalStateException("setfsuid(0) did not take");
        }
        Capabilities.limitThisThread(keep);
        if (Kernel.C.prctl(Kernel.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
            throw Kernel.failure("prctl(PR_SET_NO_NEW_PRIVS)");
        }
    }

    private static void onThread(ExecutorService e, Runnable task) {
        try {
            e.submit(task).get(TASK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
        } catch (TimeoutException ex) {
            throw new IllegalStateException("a thread did not drop its capabilities within " + TASK_MILLIS + " ms");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dropping capabilities");
        }
    }

    /**
     * True when ping sockets (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)) are open to our effective or
     * a supplementary group, per net.ipv4.ping_group_range of this (the host's) namespace.
     */
    static boolean pingSocketsAllowed() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ping_group_range")).strip().split("\\s+");
            long lo = Long.parseLong(range[0]);
            long hi = Long.parseLong(range[1]);
            List<Long> groups = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Gid:")) {
                    groups.add(Long.parseLong(line.split("\\s+")[2]));
                } else if (line.startsWith("Groups:")) {
                    Stream.of(line.substring(7).strip().split("\\s+")).filter(s -> !s.isEmpty()).map(Long::parseLong).forEach(groups::add);
                }
            }
            return groups.stream().anyMatch(g -> lo <= g && g <= hi);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Names of this process's threads whose effective capability set is not empty ("none" if none). */
    static String privilegedThreads() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String status = Files.readString(t.resolve("status"));
                    String capEff = status.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElse("CapEff: 0");
                    if (Long.parseUnsignedLong(capEff.substring(7).strip(), 16) != 0) {
                        names.add(Files.readString(t.resolve("comm")).strip());
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return names.isEmpty() ? "none" : names.size() + " " + names;
    }
}
