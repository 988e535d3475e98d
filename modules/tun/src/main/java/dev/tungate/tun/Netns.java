package dev.tungate.tun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace handle: an open fd on its nsfs file. A namespace is a property of a thread (task) in Linux, so
 * this class never changes the namespace of a caller's thread: {@link #call} runs the task on a fresh platform thread
 * that setns()'d first and dies afterwards, and {@link #create} unshares on a thread of its own. Sockets and TUN queues
 * belong to the namespace of the thread that created them and keep it after that thread is gone.
 */
public final class Netns implements AutoCloseable {
    private static final String RUN_NETNS = "/run/netns";

    private final int fd;
    private final String path;
    /** The bind mount {@link #create} made, removed by {@link #close}; null when none. */
    private final String mountPoint;
    private boolean closed;

    private Netns(int fd, String path, String mountPoint) {
        this.fd = fd;
        this.path = path;
        this.mountPoint = mountPoint;
    }

    /** Resolves "NAME" (/run/netns/NAME), an absolute path ("/run/netns/NAME", "/proc/PID/ns/net") or "PID". */
    public static Netns open(String spec) {
        if (spec == null || spec.isEmpty()) {
            throw new NetnsException("empty network namespace name");
        }
        String path;
        if (spec.startsWith("/")) {
            path = spec;
        } else if (spec.chars().allMatch(Character::isDigit)) {
            path = "/proc/" + spec + "/ns/net";
        } else if (spec.indexOf('/') < 0 && !spec.equals(".") && !spec.equals("..")) {
            path = RUN_NETNS + "/" + spec;
        } else {
            throw new NetnsException("bad network namespace name '" + spec + "' (a name, a PID or an absolute path)");
        }
        int fd = LibC.C.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            int errno = LibC.errno();
            throw new NetnsException("cannot open network namespace '" + spec + "' (" + path + "): " + LibC.describe(errno));
        }
        try {
            checkNetns(fd, path);
        } catch (NetnsException e) {
            LibC.closeQuietly(fd);
            throw e;
        }
        return new Netns(fd, path, null);
    }

    /**
     * A fresh network namespace: unshare(CLONE_NEWNET) on a short-lived platform thread, which keeps the namespace
     * alive by opening /proc/thread-self/ns/net before it exits. With a name the namespace is also bind-mounted at
     * /run/netns/NAME (as `ip netns add` does), so `ip netns exec NAME` reaches it; the mount is removed by close().
     */
    public static Netns create(String nameOrNull) {
        String mountPoint = null;
        if (nameOrNull != null) {
            if (nameOrNull.isEmpty() || nameOrNull.indexOf('/') >= 0 || nameOrNull.equals(".") || nameOrNull.equals("..")) {
                throw new NetnsException("bad network namespace name '" + nameOrNull + "'");
            }
            mountPoint = RUN_NETNS + "/" + nameOrNull;
        }
        int fd = onThread("tungate-netns-create", () -> {
            if (LibC.C.unshare(LibC.CLONE_NEWNET) != 0) {
                throw new NetnsException("cannot create a network namespace: unshare(CLONE_NEWNET): "
                        + LibC.describe(LibC.errno()));
            }
            int nsFd = LibC.C.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (nsFd < 0) {
                throw new NetnsException("cannot open /proc/thread-self/ns/net: " + LibC.describe(LibC.errno()));
            }
            return nsFd;
        });
        String path = "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
        if (mountPoint != null) {
            try {
                bindMount(fd, mountPoint);
            } catch (NetnsException e) {
                LibC.closeQuietly(fd);
                throw e;
            }
            path = mountPoint;
        }
        return new Netns(fd, path, mountPoint);
    }

    private static void bindMount(int fd, String mountPoint) {
        Path target = Path.of(mountPoint);
        try {
            Files.createDirectories(target.getParent());
            Files.createFile(target);
        } catch (FileAlreadyExistsException e) {
            throw new NetnsException("network namespace " + mountPoint + " already exists");
        } catch (IOException e) {
            throw new NetnsException("cannot create " + mountPoint + ": " + e.getMessage(), e);
        }
        String source = "/proc/self/fd/" + fd;
        if (LibC.C.mount(source, mountPoint, "none", LibC.MS_BIND, null) != 0) {
            int errno = LibC.errno();
            deleteQuietly(target);
            throw new NetnsException("cannot bind-mount the network namespace at " + mountPoint + ": "
                    + LibC.describe(errno));
        }
    }

    /**
     * Runs task on a short-lived platform thread that has setns()'d into this namespace and returns its result. A
     * RuntimeException or Error from task is rethrown as is; an IOException as UncheckedIOException; any other checked
     * exception inside a NetnsException.
     */
    public <T> T call(Callable<T> task) {
        int nsFd = fd();
        return onThread("tungate-netns-call", () -> {
            if (LibC.C.setns(nsFd, LibC.CLONE_NEWNET) != 0) {
                throw new NetnsException("cannot enter network namespace " + path + ": setns: "
                        + LibC.describe(LibC.errno()));
            }
            return task.call();
        });
    }

    /**
     * False once {@link #path()} no longer names the namespace this handle holds: {@code ip netns del}
     * removed its bind mount (the namespace itself lives on while we hold it, serving nobody). Paths
     * under /proc (a PID's namespace) are not watched and always answer true: other processes may
     * still be in that namespace after the PID ended.
     */
    public boolean pathStillNamesIt() {
        if (path.startsWith("/proc/")) {
            return true;
        }
        try {
            Object held = Files.readAttributes(Path.of("/proc/self/fd/" + fd()), BasicFileAttributes.class).fileKey();
            Object named = Files.readAttributes(Path.of(path), BasicFileAttributes.class).fileKey();
            return held != null && held.equals(named);
        } catch (IOException e) {
            return false;
        }
    }

    /** The nsfs path: for messages, and for `nsenter --net=PATH` by callers that spawn processes inside. */
    public String path() {
        return path;
    }

    /** The open namespace fd; valid until {@link #close}. */
    int fd() {
        synchronized (this) {
            if (closed) {
                throw new NetnsException("network namespace " + path + " is closed");
            }
        }
        return fd;
    }

    /** Closes the fd; removes the bind mount if {@link #create} made one. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        LibC.closeQuietly(fd);
        if (mountPoint != null) {
            LibC.C.umount2(mountPoint, LibC.MNT_DETACH);
            deleteQuietly(Path.of(mountPoint));
        }
    }

    @Override
    public String toString() {
        return "netns " + path;
    }

    private static void checkNetns(int fd, String path) {
        int type = LibC.C.ioctl(fd, LibC.NS_GET_NSTYPE, 0L);
        if (type < 0) {
            throw new NetnsException(path + " is not a namespace file: " + LibC.describe(LibC.errno()));
        }
        if (type != LibC.CLONE_NEWNET) {
            throw new NetnsException(path + " is not a network namespace");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort on cleanup; the first error is the one reported.
        }
    }

    /** Runs body on a new platform thread and waits; a namespace change made there dies with the thread. */
    private static <T> T onThread(String name, Callable<T> body) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e == null) {
            return result.get();
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof IOException io) {
            throw new UncheckedIOException(io);
        }
        throw new NetnsException(String.valueOf(e.getMessage()), e);
    }
}
