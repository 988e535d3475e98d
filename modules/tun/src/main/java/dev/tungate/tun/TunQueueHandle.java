package dev.tungate.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One TUN queue on a Netty 4.2 {@link IoEventLoop} with the epoll IoHandler, through the IoHandle API.
 *
 * <p>Reads: EPOLLIN is level-triggered, so {@link #handle} reads at most {@link #READ_BUDGET} frames per wake-up and
 * simply returns when the budget is spent (epoll reports the fd again on the next turn, after the loop's other
 * registrations and tasks had theirs). Each frame goes into its own pooled direct buffer handed to the
 * {@link TunFrameHandler}; {@code batchComplete()} follows the last frame of a wake-up.
 *
 * <p>Writes: only on the owning loop. With offload a 12-byte virtio_net_hdr is gathered in front of the packet by
 * writev, so the caller's buffer needs no headroom; the kernel then segments GSO frames and completes checksums. The
 * kernel keeps a flow on the queue where it was last written (tun_flow_update), which is why each shard writes only to
 * its own queue. A write the kernel refuses with EAGAIN is dropped and counted: TCP above recovers it.
 *
 * <p>Registering does not arm epoll: {@link #register} submits EPOLLIN once the registration exists. To stop reading,
 * close the handle (pausing with EpollIoOps.NONE leaves Netty's registration state inconsistent).
 */
public final class TunQueueHandle implements EpollIoHandle {
    private static final Logger log = LogManager.getLogger();
    /** Frames read per wake-up before yielding to the rest of the loop (EpollDatagramChannel reads 16 by default). */
    static final int READ_BUDGET = 64;
    /** The largest IP packet (the 16-bit total length), which is also the largest GSO super-segment. */
    static final int MAX_PACKET = 65535;
    /** The write scratch: two struct iovec (16 bytes each on LP64) for writev, then the vnet header they point to. */
    static final int TX_HDR = 32, TX_SIZE = TX_HDR + VirtioNetHdr.LENGTH;
    /** How long reading stops after a read found no buffer: long enough not to spin, short next to an RTO. */
    static final long NO_MEMORY_PAUSE_MS = 10;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final IoEventLoop loop;
    private final TunDevice dev;
    private final int queue;
    private final FileDescriptor fd;
    private final ByteBufAllocator alloc;
    private final TunFrameHandler handler;
    private final int readSize;
    private final VirtioNetHdr rxHdr = new VirtioNetHdr();
    private final Promise<Void> closeFuture;
    private ByteBuf tx;
    private IoRegistration registration;
    private boolean closed;
    private boolean paused;
    private long framesRead;
    private long framesWritten;
    private long writeDrops;
    /** Read attempts that found no buffer (OutOfMemoryError); the frame waits in the kernel queue, reading pauses. */
    private long readNoMemory;
    private long readDrops;

    private TunQueueHandle(IoEventLoop loop, TunDevice dev, int queue, ByteBufAllocator alloc, TunFrameHandler handler,
            int readSize) {
        this.loop = loop;
        this.dev = dev;
        this.queue = queue;
        this.fd = new FileDescriptor(dev.queueFd(queue));
        this.alloc = alloc;
        this.handler = handler;
        this.readSize = readSize;
        this.closeFuture = loop.newPromise();
    }

    /**
     * Registers queue of dev on loop and arms EPOLLIN; reads go into buffers of 64 KiB (plus the vnet header with
     * offload). Without offload prefer {@link #register(IoEventLoop, TunDevice, int, ByteBufAllocator, TunFrameHandler,
     * int)} with the device MTU.
     */
    public static Future<TunQueueHandle> register(IoEventLoop loop, TunDevice dev, int queue, ByteBufAllocator alloc,
            TunFrameHandler handler) {
        return register(loop, dev, queue, alloc, handler, MAX_PACKET);
    }

    /**
     * As above, with reads sized for packets up to mtu bytes when the device has no offload (a longer packet would be
     * truncated by read(2), so mtu must be at least the device MTU). With offload, reads are always 64 KiB + 12.
     */
    public static Future<TunQueueHandle> register(IoEventLoop loop, TunDevice dev, int queue, ByteBufAllocator alloc,
            TunFrameHandler handler, int mtu) {
        if (mtu < 68 || mtu > MAX_PACKET) {
            throw new IllegalArgumentException("bad mtu " + mtu + " (68.." + MAX_PACKET + ")");
        }
        int readSize = dev.offload() ? VirtioNetHdr.LENGTH + MAX_PACKET : mtu;
        TunQueueHandle h = new TunQueueHandle(loop, dev, queue, alloc, handler, readSize);
        Promise<TunQueueHandle> done = loop.newPromise();
        loop.register(h).addListener(f -> {
            if (!f.isSuccess()) {
                done.setFailure(f.cause());
                return;
            }
            h.registration = (IoRegistration) f.getNow();
            if (h.closed) {                           // close() ran before the registration completed
                h.registration.cancel();
                done.setFailure(new IllegalStateException(h + " closed while registering"));
                return;
            }
            try {
                h.tx = alloc.directBuffer(TX_SIZE, TX_SIZE);
                h.registration.submit(EpollIoOps.EPOLLIN);
                done.setSuccess(h);
            } catch (RuntimeException e) {
                h.close0();
                done.setFailure(e);
            }
        });
        return done;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (!ops.contains(EpollIoOps.EPOLLIN) && !ops.contains(EpollIoOps.EPOLLERR)) {
            return;
        }
        int n = 0;
        try {
            while (n < READ_BUDGET && readOne()) {
                n++;
            }
        } catch (IOException e) {
            // tun answers EBADFD once its device is gone (deleted, or the namespace destroyed); stop polling it.
            log.warn("TUN {} queue {}: read failed, closing the queue: {}", dev.name(), queue, e.getMessage());
            close0();
        } catch (OutOfMemoryError e) {
            // No buffer for the next frame (direct memory exhausted): it stays in the kernel queue. EPOLLIN is
            // level-triggered, so polling on would wake the loop at once, fail again and spin a core while the other
            // flows free memory; stop polling for a moment instead. An Error escaping here would end the loop.
            readNoMemory++;
            pauseReading();
        }
        if (n > 0) {
            handler.batchComplete();
        }
    }

    /** Interest in EPOLLERR only (always reported) until {@link #NO_MEMORY_PAUSE_MS} have passed, then EPOLLIN again. */
    private void pauseReading() {
        if (paused) {
            return;
        }
        paused = true;
        registration.submit(EpollIoOps.EPOLLERR);
        loop.schedule(() -> {
            paused = false;
            if (!closed) {
                registration.submit(EpollIoOps.EPOLLIN);
            }
        }, NO_MEMORY_PAUSE_MS, TimeUnit.MILLISECONDS);
    }

    /** Reads one frame into a fresh buffer and hands it to the handler; false on EAGAIN. */
    private boolean readOne() throws IOException {
        // One byte more than the largest frame wanted: read(2) on a tun fd without IFF_PI silently cuts a packet
        // that does not fit, so a read that fills this byte too means the packet was longer than readSize.
        int cap = readSize + 1;
        ByteBuf buf = alloc.directBuffer(cap, cap);
        int n;
        try {
            if (buf.hasMemoryAddress()) {
                n = fd.readAddress(buf.memoryAddress(), 0, cap);
            } else {
                ByteBuffer nio = buf.internalNioBuffer(0, cap);   // a window into a pooled chunk: use its bounds
                n = fd.read(nio, nio.position(), nio.limit());
            }
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        if (n <= 0) {                               // 0: EAGAIN; -1 (EOF) does not happen on a TUN fd
            buf.release();
            return false;
        }
        if (n > readSize || dev.offload() && n < VirtioNetHdr.LENGTH) {
            // Longer than readSize: the device MTU is above the mtu given to register(). A frame shorter than the
            // vnet header cannot happen. Both are counted, never delivered.
            buf.release();
            readDrops++;
            return true;
        }
        buf.writerIndex(n);
        if (dev.offload()) {
            rxHdr.wrap(buf, 0);
            buf.readerIndex(VirtioNetHdr.LENGTH);
        } else {
            rxHdr.clear();
        }
        framesRead++;
        handler.frameRead(buf, rxHdr);
        return true;
    }

    /**
     * Writes one IP packet (frame's readable bytes; a direct buffer with a memory address, else it is copied into one)
     * and releases frame. With offload the vnet header
     * carries gsoType/gsoSize (the kernel cuts the payload into gsoSize-byte segments) and, when csumOffset is not 0,
     * NEEDS_CSUM with csumStart/csumOffset (the kernel completes the checksum there, which must hold the pseudo-header
     * sum); without offload those arguments must be 0 and the packet must be complete. Must be called on the owning
     * loop. Returns false when the kernel refused the write (counted in {@link #writeDrops}).
     */
    public boolean write(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        assert loop.inEventLoop() : "TUN write off the owning loop";
        ByteBuf flat = frame;
        try {
            if (closed) {
                writeDrops++;
                return false;
            }
            if (!dev.offload() && (gsoType != VirtioNetHdr.GSO_NONE || csumOffset != 0)) {
                throw new IllegalArgumentException("GSO/checksum offload on TUN " + dev.name() + " without offload");
            }
            if (!frame.hasMemoryAddress()) {          // heap or composite: one copy (the gateway's frames are flat)
                flat = alloc.directBuffer(frame.readableBytes());
                flat.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
            }
            long address = flat.memoryAddress() + flat.readerIndex();
            int len = flat.readableBytes();
            long written;
            if (dev.offload()) {
                VirtioNetHdr.write(tx, TX_HDR, csumOffset != 0 ? VirtioNetHdr.NEEDS_CSUM : 0, gsoType, 0, gsoSize,
                        csumStart, csumOffset);
                putNative(tx, 0, tx.memoryAddress() + TX_HDR);     // iov[0]: the vnet header
                putNative(tx, 8, VirtioNetHdr.LENGTH);
                putNative(tx, 16, address);                         // iov[1]: the packet
                putNative(tx, 24, len);
                written = fd.writevAddresses(tx.memoryAddress(), 2);
            } else {
                written = fd.writeAddress(address, 0, len);
            }
            if (written <= 0) {                       // 0: EAGAIN
                writeDrops++;
                return false;
            }
            framesWritten++;
            return true;
        } catch (IOException e) {
            writeDrops++;
            if (log.isDebugEnabled()) {
                log.debug("TUN {} queue {}: write failed: {}", dev.name(), queue, e.getMessage());
            }
            return false;
        } finally {
            if (flat != frame) {
                flat.release();
            }
            frame.release();
        }
    }

    /** A size_t / pointer field of struct iovec, in native byte order. */
    private static void putNative(ByteBuf buf, int index, long value) {
        if (NATIVE_LE) {
            buf.setLongLE(index, value);
        } else {
            buf.setLong(index, value);
        }
    }

    public long framesRead() {
        return framesRead;
    }

    public long framesWritten() {
        return framesWritten;
    }

    public long writeDrops() {
        return writeDrops;
    }

    /** Frames read but dropped: longer than the read buffer (device MTU above register()'s mtu). */
    public long readDrops() {
        return readDrops;
    }

    /** Reads put off because no buffer could be had (the frames stayed queued in the kernel). */
    public long readNoMemory() {
        return readNoMemory;
    }

    public int queue() {
        return queue;
    }

    /**
     * Completes once the handle is closed, by {@link #close} or because the device went away (a read failed, e.g.
     * EBADFD after the link was deleted): the gateway's cue that this queue's shard lost its device.
     */
    public Future<Void> closeFuture() {
        return closeFuture;
    }

    /** Deregisters from the loop (the fd stays open: it belongs to the TunDevice). Idempotent; any thread. */
    @Override
    public void close() {
        if (loop.inEventLoop()) {
            close0();
        } else {
            loop.execute(this::close0);
        }
    }

    private void close0() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            registration.cancel();
        }
        if (tx != null) {
            tx.release();
        }
        closeFuture.setSuccess(null);
    }

    @Override
    public String toString() {
        return "TunQueueHandle[" + dev.name() + " q" + queue + " fd " + fd.intValue() + "]";
    }
}
