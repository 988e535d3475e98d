/**
 * The emulation stage wired into a shard: {@link dev.tungate.gateway.stage.EmuStage} is the
 * shard's {@code FrameStage}. It keys each TCP/UDP/ICMP-echo frame by its flow
 * ({@code shard/FlowKey}), finds the flow's profile once (first matching rule's {@code impair=NAME},
 * else {@code --impair}), and offers the frame to the flow's {@code emu.Link} for its direction
 * ("up" = namespace to outside, "down" = outside to namespace). Held frames are released by a task
 * on the shard's own loop scheduled at the earliest due time: no extra thread. When no profile
 * exists the stage is not installed at all; a flow without a profile costs one table probe.
 *
 * <p>Frames of impaired flows are normalised before the link: TSO super-segments are split into
 * gso_size segments ({@link dev.tungate.gateway.stage.Segmenter}) and offloaded (partial)
 * checksums are completed, so loss, rate and corruption act on wire-sized packets and a corrupted
 * frame reaches the receiver with a full, wrong checksum (never NEEDS_CSUM, which would let the
 * kernel recompute it). Up frames leave the link with their checksum verified by the handler.
 *
 * <p>See docs/ARCHITECTURE.md "Emulation".
 */
package dev.tungate.gateway.stage;
