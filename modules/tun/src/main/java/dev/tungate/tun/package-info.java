/**
 * The Linux device side of tungate: network namespaces, TUN devices, rtnetlink, and a TUN queue as a Netty 4.2
 * IoHandle. Syscalls go through a small jnr-ffi binding of libc ({@code LibC}); nothing here shells out.
 *
 * <h2>Theory of operation</h2>
 * <ol>
 * <li><b>Namespaces are per thread.</b> Linux keeps the network namespace per task, and everything that creates a
 * kernel object (a socket, a TUN queue, a netlink socket) creates it in the namespace of the calling thread; the
 * object stays there when the thread leaves. {@link dev.tungate.tun.Netns} therefore never moves a long-lived thread:
 * {@code call(task)} runs the task on a fresh platform thread that setns()'d first and then exits, and
 * {@code create()} unshares on such a thread and keeps the namespace alive with an fd on /proc/thread-self/ns/net.
 * Event-loop threads never setns.</li>
 * <li><b>A TUN device belongs to the namespace where /dev/net/tun was opened</b>, not where TUNSETIFF runs, so
 * {@link dev.tungate.tun.TunDevice#open} opens every queue inside {@code ns.call}. Queues are IFF_TUN|IFF_NO_PI,
 * IFF_MULTI_QUEUE when there are several, non-blocking; with offload IFF_VNET_HDR, a 12-byte
 * {@link dev.tungate.tun.VirtioNetHdr} and TSO4/TSO6/CSUM offload. The device disappears with its last queue fd.</li>
 * <li><b>Configuration is rtnetlink</b> ({@link dev.tungate.tun.Netlink}) on a socket opened inside the namespace:
 * link up, MTU, txqueuelen, addresses, the default route. Each request waits for its ACK, and a refusal becomes an
 * exception that names the request, the address and the link.</li>
 * <li><b>Each queue lives on one event loop</b> as a {@link dev.tungate.tun.TunQueueHandle} (an EpollIoHandle):
 * level-triggered EPOLLIN, at most 64 frames per wake-up into pooled direct buffers, one
 * {@code batchComplete()} per wake-up; writes on the same loop, with the vnet header gathered in by writev. Flows
 * stick to the queue they were last written on, which is what lets one loop own a shard without locks.</li>
 * </ol>
 * Start reading at TunQueueHandle, then TunDevice and Netns.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.tun;
