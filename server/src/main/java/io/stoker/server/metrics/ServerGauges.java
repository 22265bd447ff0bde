package io.stoker.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stoker.dsl.CompileCache;
import io.stoker.engine.log.FileLogStore;
import io.stoker.server.agent.AgentPool;
import io.stoker.server.agent.AgentState;

import java.util.concurrent.Callable;

/**
 * Gauges and counters read when Prometheus scrapes, over state the server keeps anyway: nothing is counted on a
 * hot path here ({@code stoker_log_written_bytes_total} reads the log store's own adder).
 */
public final class ServerGauges {
    private ServerGauges() {
    }

    /**
     * Registers {@code stoker_queue_length}, {@code stoker_slots_capacity}, {@code stoker_agents_online}, {@code
     * stoker_agent_executors_busy}, {@code stoker_agent_executors_capacity}, {@code stoker_log_written_bytes_total}
     * and {@code stoker_compile_cache_hits_total} / {@code _misses_total}. (Prometheus keeps {@code _total} for
     * counters, hence {@code _capacity} for the totals of slots and executors.)
     *
     * @param queued how many runs are queued now (a database count; NaN when it cannot be read)
     */
    public static void register(MeterRegistry registry, Callable<Integer> queued, int slots, AgentPool agents,
                                FileLogStore logs, CompileCache compiles) {
        Gauge.builder("stoker.queue.length", queued, q -> {
            try {
                return q.call();
            } catch (Exception e) {
                return Double.NaN;
            }
        }).description("runs waiting in the queue").strongReference(true).register(registry); // nothing else holds q
        Gauge.builder("stoker.slots.capacity", () -> slots).description("executor slots: runs at once").register(registry);
        Gauge.builder("stoker.agents.online", agents, a -> a.states().stream().filter(ServerGauges::online).count())
                .description("agents connected now").register(registry);
        Gauge.builder("stoker.agent.executors.busy", agents,
                        a -> a.states().stream().mapToInt(AgentState::busy).sum())
                .description("agent executors running a task").register(registry);
        Gauge.builder("stoker.agent.executors.capacity", agents,
                        a -> a.states().stream().filter(ServerGauges::online).mapToInt(s -> s.agent().executors()).sum())
                .description("executors of the agents online").register(registry);
        FunctionCounter.builder("stoker.log.written", logs, FileLogStore::bytesWritten).baseUnit("bytes")
                .description("bytes written to task logs").register(registry);
        FunctionCounter.builder("stoker.compile.cache.hits", compiles, CompileCache::hits)
                .description("Jobfile compiles answered from the cache").register(registry);
        FunctionCounter.builder("stoker.compile.cache.misses", compiles, CompileCache::misses)
                .description("Jobfile compiles that ran the compiler").register(registry);
    }

    private static boolean online(AgentState s) {
        return "online".equals(s.status());
    }
}
