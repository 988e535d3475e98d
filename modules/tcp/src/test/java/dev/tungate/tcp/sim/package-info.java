/**
 * The deterministic simulator: two {@link dev.tungate.tcp.TcpConnection}s joined by an emulated,
 * impaired link on a virtual clock (DESIGN.md, Tests).
 *
 * <p>Theory of operation. {@link dev.tungate.tcp.sim.Scenario} draws everything a run varies
 * from its seed; {@link dev.tungate.tcp.sim.Simulation} is the event loop (a priority queue on
 * virtual time, ties broken by insertion order); each {@link dev.tungate.tcp.sim.SimLink} is one
 * direction of the path (bottleneck queue, delay, jitter, reordering, loss, duplication,
 * corruption-as-checksum-drop); each {@link dev.tungate.tcp.sim.SimHost} is an engine with its
 * application, which writes a position-dependent byte stream and checks every byte it is
 * delivered. Nothing reads a wall clock or shares randomness across components, so a seed
 * replays exactly. Start at {@code SimulationTest}.
 */
package dev.tungate.tcp.sim;
