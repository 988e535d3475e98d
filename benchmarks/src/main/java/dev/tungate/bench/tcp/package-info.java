/**
 * JMH for the TCP engine. {@code SegmentArrivalBenchmark}: the receive fast path, one in-order
 * full-sized segment into {@code segmentArrives} with its share of the ACK, in ns and (with
 * {@code -prof gc}) bytes allocated per segment, where the house target is 0.
 * {@code SimulatorThroughputBenchmark}: two engines joined by a lossless virtual link
 * ({@code EnginePair}), MiB moved per wall second. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar 'bench.tcp' -f 1 -wi 3 -i 5 -prof gc}.
 */
package dev.tungate.bench.tcp;
