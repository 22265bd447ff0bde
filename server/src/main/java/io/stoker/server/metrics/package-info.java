/**
 * Prometheus metrics at {@code GET /metrics}: one Micrometer registry per server ({@link StokerMetrics}), run and
 * task outcomes counted from the event hub ({@link RunMetrics}), gauges over the queue, slots and agents
 * ({@link ServerGauges}), and the route ({@link MetricsRoute}).
 */
package io.stoker.server.metrics;
