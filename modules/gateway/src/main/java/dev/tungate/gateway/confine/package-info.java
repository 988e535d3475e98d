/**
 * Least privilege while serving (issue 8, item 6). {@link dev.tungate.gateway.confine.Confinement#apply} runs
 * once, after set-up (device, routes, warm-up, control socket) and before {@code ready}:
 * <ol>
 *   <li>bounding sets and ambient sets of every thread tungate owns (shard loops, control loop and worker, main)
 *       shrink to what that thread keeps;</li>
 *   <li>glibc's setresuid(-1, 65534, -1) (broadcast to every thread of the process) clears the effective set of
 *       <em>every</em> thread, the JVM's own (GC, JIT, signal dispatcher, the launcher's thread) included; real and
 *       saved uid stay 0, so exec can still signal its root child;</li>
 *   <li>each owned thread sets fsuid 0 (files as root's, without DAC override: the socket in /run/tungate can be
 *       removed at exit), capset to exactly what it keeps, no_new_privs;</li>
 *   <li>the seccomp allow list ({@link dev.tungate.gateway.confine.SeccompFilter}) with TSYNC on every thread.</li>
 * </ol>
 * What remains, plainly: effective capabilities are empty on every thread except the shard loops, which keep
 * CAP_NET_RAW only when net.ipv4.ping_group_range excludes our group (ICMP echo then uses raw sockets opened per
 * flow). The JVM's own threads keep a full <em>permitted</em> set, unusable without capset or set*uid, which the
 * filter refuses (EPERM); with {@code --no-seccomp} a thread running injected code could raise it again. Bounding
 * sets of the JVM's own threads are untouched (no_new_privs and the filter's refusal of execve cover exec).
 */
package dev.tungate.gateway.confine;
