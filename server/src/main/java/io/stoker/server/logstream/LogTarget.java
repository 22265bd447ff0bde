package io.stoker.server.logstream;

import io.stoker.server.logstream.kafka.KafkaAddress;
import io.stoker.server.outbox.Endpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's log goes: an http(s) URL (streamed as one chunked POST, resumed by byte offset), or Kafka:
 * {@code kafka://host:port/topic}, or {@code failover(kafka://a:9092/t, kafka://b:9092/t)} whose brokers are tried in
 * order.
 */
public sealed interface LogTarget {

    /** The target as stored and shown: never credentials. */
    String text();

    /** A chunked HTTP POST per run to this endpoint. */
    record Http(Endpoint endpoint) implements LogTarget {
        @Override
        public String text() {
            return endpoint.url();
        }
    }

    /** Records on a Kafka topic, through the first broker of the list that takes them. */
    record Kafka(List<KafkaAddress> brokers) implements LogTarget {
        public Kafka {
            brokers = List.copyOf(brokers);
        }

        @Override
        public String text() {
            if (brokers.size() == 1) return brokers.getFirst().text();
            return "failover(" + String.join(", ", brokers.stream().map(KafkaAddress::text).toList()) + ")";
        }
    }

    /** Reads a target as given in a trigger request or a Jobfile; the message says what is wrong. */
    static LogTarget parse(String raw) {
        if (raw == null || raw.isBlank()) throw new IllegalArgumentException("is empty");
        String s = raw.trim();
        if (s.startsWith("failover(")) {
            if (!s.endsWith(")")) throw new IllegalArgumentException("must close 'failover(' with ')'");
            List<KafkaAddress> brokers = new ArrayList<>();
            for (String part : s.substring("failover(".length(), s.length() - 1).split(",")) {
                if (!part.trim().startsWith("kafka://")) {
                    throw new IllegalArgumentException("failover(…) takes kafka:// URLs only, not '" + part.trim() + "'");
                }
                brokers.add(KafkaAddress.parse(part.trim()));
            }
            if (brokers.size() < 2) throw new IllegalArgumentException("failover(…) needs at least two kafka:// URLs");
            return new Kafka(brokers);
        }
        if (s.startsWith("kafka://")) return new Kafka(List.of(KafkaAddress.parse(s)));
        try {
            return new Http(Endpoint.parse(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an http(s) URL, kafka://host:port/topic or failover(kafka://…, kafka://…)");
        }
    }

    /** A stored target back ({@code authorization} opened from its sealed column, or null). */
    static LogTarget stored(String text, String authorization) {
        LogTarget t = parse(text);
        return t instanceof Http h ? new Http(new Endpoint(h.endpoint().url(), authorization)) : t;
    }
}
