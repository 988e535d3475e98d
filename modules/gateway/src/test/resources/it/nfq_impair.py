#!/usr/bin/env python3
"""netem-like impairment for kernels without sch_netem, over NFQUEUE, with no library beyond the stdlib.

Theory of operation: iptables sends the namespace's TCP packets (both directions of its TUN device) to queue Q.
The kernel keeps each queued packet until we give a verdict for its id, and verdicts may be given in any order:
  - delay:     the verdict NF_ACCEPT is issued DELAY ms after the packet arrived;
  - reorder:   with probability REORDER the verdict is issued at once, so the packet overtakes the delayed ones
               (netem's "delay D reorder P" semantics);
  - duplicate: with probability DUP a copy is written at once through a raw socket carrying mark MARK, which the
               iptables rules let through untouched, and the original keeps its normal course.
  - loss:      with probability LOSS the verdict is NF_DROP. Loss is decided here rather than by
               `iptables -m statistic` because the OUTPUT hook sees 64 KiB GSO skbs (segmented only for the queue),
               so a statistic DROP there would lose ~45 segments at once instead of 2% of segments.
Decisions come from one seeded PRNG.
Protocol: nfnetlink_queue over a raw AF_NETLINK socket (linux/netfilter/nfnetlink_queue.h), copy mode
NFQNL_COPY_PACKET, fail-open when the queue is full so the test sees impairment, never a wedge.
Prints "ready" once bound; on SIGTERM accepts whatever it holds, prints one stats line, and exits 0.
"""
import argparse
import errno
import heapq
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NLMSG_ERROR = 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
QUEUE = 3 << 8  # NFNL_SUBSYS_QUEUE in the high byte of nlmsg_type
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN, NFQA_CFG_MASK, NFQA_CFG_FLAGS = 1, 2, 3, 4, 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_PACKET = 2
NFQA_CFG_F_FAIL_OPEN = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR, NFQA_PAYLOAD = 1, 2, 10
NF_DROP, NF_ACCEPT = 0, 1
SO_MARK = 36
SO_RCVBUFFORCE = 33


def attr(kind, payload):
    raw = struct.pack("=HH", 4 + len(payload), kind) + payload
    return raw + b"\0" * (-len(raw) % 4)


def message(kind, flags, queue, attrs=b""):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + attrs
    return struct.pack("=IHHII", 16 + len(body), QUEUE | kind, flags, 0, 0) + body


def config(nl, queue, attrs):
    nl.send(message(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, queue, attrs))
    reply = nl.recv(65536)
    kind = struct.unpack_from("=H", reply, 4)[0]
    code = struct.unpack_from("=i", reply, 16)[0] if kind == NLMSG_ERROR else 0
    if code:
        sys.exit("nfqueue config failed: " + errno.errorcode.get(-code, str(code)))


def packets(data):
    """Yields (packet id, payload) for each NFQNL_MSG_PACKET in one netlink read."""
    off = 0
    while off + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, off)
        if length < 16:
            return
        if kind == QUEUE | NFQNL_MSG_PACKET:
            pkt_id, payload, a = None, b"", off + 20  # nlmsghdr (16) + nfgenmsg (4)
            while a + 4 <= off + length:
                alen, atype = struct.unpack_from("=HH", data, a)
                if alen < 4:
                    break
                if atype & 0x7FFF == NFQA_PACKET_HDR:
                    pkt_id = struct.unpack_from("!I", data, a + 4)[0]
                elif atype & 0x7FFF == NFQA_PAYLOAD:
                    payload = data[a + 4:a + alen]
                a += (alen + 3) & ~3
            if pkt_id is not None:
                yield pkt_id, payload
        off += (length + 3) & ~3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--queue", type=int, required=True)
    ap.add_argument("--loss", type=float, default=0.02)
    ap.add_argument("--delay-ms", type=float, default=1.0)
    ap.add_argument("--reorder", type=float, default=0.25)
    ap.add_argument("--dup", type=float, default=0.01)
    ap.add_argument("--mark", type=lambda s: int(s, 0), default=0x7E1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    delay_ns = int(args.delay_ms * 1e6)

    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    nl.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    nl.bind((0, 0))
    config(nl, args.queue, attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, 0)))
    config(nl, args.queue, attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0xFFFF, NFQNL_COPY_PACKET))
           + attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 16384))
           + attr(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN))
           + attr(NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)))
    nl.setblocking(False)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.setsockopt(socket.SOL_SOCKET, SO_MARK, args.mark)

    def verdict(pkt_id, kind=NF_ACCEPT):
        attrs = attr(NFQA_VERDICT_HDR, struct.pack("!II", kind, pkt_id))
        nl.send(message(NFQNL_MSG_VERDICT, NLM_F_REQUEST, args.queue, attrs))

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    stats = {"seen": 0, "lost": 0, "delayed": 0, "reordered": 0, "duplicated": 0, "overruns": 0}
    held, order = [], 0
    print("ready", flush=True)
    while not stop:
        now = time.monotonic_ns()
        wait = max(0.0, (held[0][0] - now) / 1e9) if held else 0.2
        try:
            readable = select.select([nl], [], [], wait)[0]
        except InterruptedError:
            continue
        for _ in range(256 if readable else 0):
            try:
                data = nl.recv(262144)
            except BlockingIOError:
                break
            except OSError as e:  # ENOBUFS: the kernel dropped notifications; fail-open keeps traffic moving
                stats["overruns"] += e.errno == errno.ENOBUFS
                continue
            now = time.monotonic_ns()
            for pkt_id, payload in packets(data):
                stats["seen"] += 1
                if rng.random() < args.loss:
                    verdict(pkt_id, NF_DROP)
                    stats["lost"] += 1
                    continue
                if rng.random() < args.dup and len(payload) >= 20 and payload[0] >> 4 == 4:
                    raw.sendto(payload, (socket.inet_ntoa(payload[16:20]), 0))
                    stats["duplicated"] += 1
                if rng.random() < args.reorder:
                    verdict(pkt_id)
                    stats["reordered"] += 1
                else:
                    order += 1
                    heapq.heappush(held, (now + delay_ns, order, pkt_id))
                    stats["delayed"] += 1
        now = time.monotonic_ns()
        while held and held[0][0] <= now:
            verdict(heapq.heappop(held)[2])
    while held:
        verdict(heapq.heappop(held)[2])
    print(" ".join(f"{k}={v}" for k, v in stats.items()), flush=True)


if __name__ == "__main__":
    main()
