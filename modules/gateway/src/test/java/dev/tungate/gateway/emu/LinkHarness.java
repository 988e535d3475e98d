package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Link} on a virtual clock fed with synthetic IPv4/TCP packets whose sequence number is
 * their index. Records each delivery (time, seq, length) and releases the frame; unpooled heap
 * buffers so a released frame's refCnt stays 0 for {@link #assertAllReleased()}.
 */
final class LinkHarness implements Link.Sink {
    /** IPv4 (20) + TCP (20) header bytes of every synthetic frame. */
    static final int HEADERS = 40;

    /** One delivery: when, which packet, how long, and the frame's bytes if asked to keep them. */
    record Delivery(long nanos, int seq, int length, byte[] bytes) { }

    final Link link;
    long now;
    final List<Delivery> out = new ArrayList<>();
    final List<ByteBuf> created = new ArrayList<>();
    boolean keepBytes;
    private final PacketBuilder builder = new PacketBuilder();

    LinkHarness(DirectionProfile profile, long flowSeed) {
        link = new Link(profile, flowSeed);
        builder.ipv4(0xC612_0001, 0xC613_0002).ports(40000, 443).ack(1).window(1024);
    }

    static LinkHarness up(String spec) throws SpecException {
        ImpairProfile p = ImpairProfile.parse(spec);
        return new LinkHarness(p.up(), Link.flowSeed(p.seed(), 42));
    }

    /** A TCP/IPv4 frame of {@code ipLength} bytes (at least 40), seq = {@code seq}, payload bytes = a function of seq. */
    ByteBuf frame(int seq, int ipLength, int flags) {
        int payloadLength = ipLength - HEADERS;
        ByteBuf payload = Unpooled.buffer(payloadLength);
        for (int i = 0; i < payloadLength; i++) payload.writeByte(seq * 31 + i);
        ByteBuf f = Unpooled.buffer(ipLength);
        builder.seq(seq).flags(flags).writeTcp(f, payload, 0, payloadLength);
        payload.release();
        created.add(f);
        return f;
    }

    void send(int seq, int ipLength) {
        link.offer(frame(seq, ipLength, TcpHeader.ACK), now, this);
    }

    void sendFlags(int seq, int flags) {
        link.offer(frame(seq, HEADERS, flags), now, this);
    }

    /** Moves the clock to {@code t}, polling at each due time on the way (as the shard's timer would). */
    void advanceTo(long t) {
        long next;
        while ((next = link.nextDueNanos()) <= t) {
            if (next > now) now = next;
            int before = out.size() + link.heldPackets();
            link.poll(now, this);
            if (link.nextDueNanos() <= now && out.size() + link.heldPackets() == before) {
                throw new AssertionError("nextDueNanos " + link.nextDueNanos() + " <= now " + now + " but poll did nothing");
            }
        }
        if (t > now) now = t;
    }

    void advanceBy(long nanos) {
        advanceTo(now + nanos);
    }

    /** Runs until nothing is held. */
    void drain() {
        advanceTo(Long.MAX_VALUE - 1);
    }

    @Override
    public void deliver(ByteBuf frame) {
        int seq = frame.getInt(frame.readerIndex() + 20 + 4);
        byte[] bytes = null;
        if (keepBytes) {
            bytes = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), bytes);
        }
        out.add(new Delivery(now, seq, frame.readableBytes(), bytes));
        frame.release();
    }

    void assertAllReleased() {
        for (ByteBuf b : created) assertEquals(0, b.refCnt(), "a frame was not released");
    }
}
