package io.stoker.server.logstream.kafka;

import io.stoker.server.logstream.CombinedLog;
import io.stoker.server.logstream.LogShipper;
import io.stoker.server.logstream.LogSource;
import io.stoker.server.logstream.LogTarget;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A run's log as records on a Kafka topic: key = the run key, value = a batch of whole lines of the run's combined
 * log, headers {@code x-stoker-run}, {@code x-stoker-log-offset} (where the value starts in the combined log) and,
 * on the last record (whose value may be empty), {@code x-stoker-log-complete: true}. Each record is acknowledged
 * ({@code acks=all}, idempotent producer) before the next is sent, so a run's records are in order. With
 * {@code failover(…)} the brokers are tried in order: a broker that fails a record is left for the next, which gets
 * the log from the last acknowledged offset. One producer per broker address, shared by every run.
 */
public final class KafkaLogShipper implements LogShipper {
    public static final String OFFSET = "x-stoker-log-offset";
    public static final String COMPLETE = "x-stoker-log-complete";
    public static final String RUN = "x-stoker-run";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLogShipper.class);

    private final Duration timeout;
    private final Map<String, Producer<String, byte[]>> producers = new ConcurrentHashMap<>();
    private final LongAdder bytes = new LongAdder();

    /** @param timeout how long a broker may take to acknowledge a record before the next broker is tried */
    public KafkaLogShipper(Duration timeout) {
        this.timeout = timeout;
    }

    /** Bytes brokers acknowledged. */
    public long bytesAcknowledged() {
        return bytes.sum();
    }

    @Override
    public boolean sends(LogTarget target) {
        return target instanceof LogTarget.Kafka;
    }

    @Override
    public void ship(String runKey, LogTarget target, long from, LogSource log, Progress progress) throws Exception {
        List<KafkaAddress> brokers = ((LogTarget.Kafka) target).brokers();
        int current = 0; // a run starts at the first broker and stays on the one that takes its records
        long offset = from;
        while (true) {
            CombinedLog.Batch b = log.read(offset, 1000);
            boolean last = b.end();
            if (b.bytes().length == 0 && !last) continue;
            if (b.bytes().length > 0) last = false;
            Exception failure = null;
            for (int tried = 0; tried < brokers.size(); tried++) {
                KafkaAddress to = brokers.get(current);
                try {
                    send(to, runKey, offset, b.bytes(), last);
                    failure = null;
                    break;
                } catch (ExecutionException | java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    failure = new java.io.IOException(to.text() + ": " + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
                    drop(to); // a fresh producer next time: this one may hold failed batches
                    if (brokers.size() > 1) LOG.info("run {}: log record to {} failed ({}); trying the next broker", runKey, to.text(), cause.toString());
                    current = (current + 1) % brokers.size();
                }
            }
            if (failure != null) throw failure;
            offset += b.bytes().length;
            bytes.add(b.bytes().length);
            progress.acked(offset, null);
            if (last) return;
        }
    }

    private void send(KafkaAddress to, String runKey, long offset, byte[] value, boolean last) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(to.topic(), runKey, value);
        record.headers().add(RUN, runKey.getBytes(StandardCharsets.UTF_8));
        record.headers().add(OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        if (last) record.headers().add(COMPLETE, "true".getBytes(StandardCharsets.UTF_8));
        producer(to).send(record).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    private Producer<String, byte[]> producer(KafkaAddress to) {
        return producers.computeIfAbsent(to.bootstrap(), bootstrap -> {
            int ms = (int) Math.max(1000, Math.min(Integer.MAX_VALUE / 2, timeout.toMillis()));
            Map<String, Object> config = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.CLIENT_ID_CONFIG, "stoker-logs",
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, ms,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms + 1000);
            return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        });
    }

    private void drop(KafkaAddress to) {
        Producer<String, byte[]> p = producers.remove(to.bootstrap());
        if (p != null) p.close(Duration.ZERO);
    }

    @Override
    public void close() {
        producers.values().forEach(p -> p.close(Duration.ofSeconds(2)));
        producers.clear();
    }
}
