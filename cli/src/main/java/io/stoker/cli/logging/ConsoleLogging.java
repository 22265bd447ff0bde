package io.stoker.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration for the CLI and the server, set up in code (found by Logback through the service loader)
 * rather than read from a {@code logback.xml}: parsing XML loads Logback's configuration framework and the JDK's
 * XML parser, ~600 classes that a server kept for the rest of its life.
 *
 * <p>The CLI talks to people through stdout and stderr, so library logging goes to stderr at {@code WARN}
 * ({@code STOKER_LOG_LEVEL} sets another level). Flyway (which warns that H2 is newer than it was verified with; the
 * migrations are plain SQL), the Kafka producer (which warns on every reconnect to a broker that is down; the log
 * streams report their failures) and the SSH library (which warns, naming its channel and session classes, on every
 * reconnect to an agent host without SFTP or with another host key; the agent's status says why in one sentence)
 * only at {@code ERROR}. {@code -Dlogback.configurationFile=FILE} still picks a
 * Logback file of one's own.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(System.getenv("STOKER_LOG_LEVEL")));
        root.addAppender(stderr);
        context.getLogger("org.flywaydb").setLevel(Level.ERROR);
        context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
        context.getLogger("org.apache.sshd").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * For {@code stoker server}: Stoker's own events (ready, agents going offline and online, runs started by
     * triggers, deliveries retried) are logged at {@code INFO}, libraries still at {@code WARN} — unless
     * {@code STOKER_LOG_LEVEL} ({@code envLevel}) names one level for all, or a Logback file of one's own is used.
     */
    public static void forServer(LoggerContext context, String envLevel) {
        if (System.getProperty("logback.configurationFile") != null) return;
        if (envLevel != null && !envLevel.isBlank()) return;
        context.getLogger("io.stoker").setLevel(Level.INFO);
    }

    /** The levels {@code STOKER_LOG_LEVEL} may name (any case). */
    static final java.util.List<String> LEVELS = java.util.List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF");

    /**
     * Why a {@code STOKER_LOG_LEVEL} value is refused, if it is: a mistyped level would otherwise be taken as
     * {@code WARN} for everything, less than leaving the variable unset gives a server.
     */
    public static java.util.Optional<String> refusal(String name) {
        if (name == null || name.isBlank() || LEVELS.contains(name.strip().toUpperCase(java.util.Locale.ROOT))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("STOKER_LOG_LEVEL must be one of " + String.join(", ", LEVELS) + ", not '"
                + name.strip() + "'");
    }

    /** The root level a {@code STOKER_LOG_LEVEL} value names; {@code WARN} when unset or not a level. */
    static Level level(String name) {
        return name == null || name.isBlank() ? Level.WARN : Level.toLevel(name.trim(), Level.WARN);
    }
}
