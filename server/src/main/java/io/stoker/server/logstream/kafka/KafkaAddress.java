package io.stoker.server.logstream.kafka;

import java.net.URI;
import java.net.URISyntaxException;

/** One {@code kafka://host:port/topic}: a bootstrap broker and the topic to write to. */
public record KafkaAddress(String host, int port, String topic) {
    private static final java.util.regex.Pattern TOPIC = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public String bootstrap() {
        return host + ":" + port;
    }

    public String text() {
        return "kafka://" + bootstrap() + "/" + topic;
    }

    /** Parses {@code kafka://host:port/topic}; the message says what is wrong. */
    public static KafkaAddress parse(String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a kafka://host:port/topic URL");
        }
        if (!"kafka".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("must be kafka://host:port/topic");
        }
        if (uri.getUserInfo() != null) throw new IllegalArgumentException("kafka:// URLs take no credentials");
        if (uri.getPort() < 1) throw new IllegalArgumentException("must name the broker's port (kafka://host:port/topic)");
        String topic = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("must name a topic of letters, digits, '.', '_' or '-' (kafka://host:port/topic)");
        }
        return new KafkaAddress(uri.getHost(), uri.getPort(), topic);
    }
}
