package io.stoker.server.console;

import io.stoker.server.ServerConfig;
import io.stoker.store.postgres.PostgresUrl;

import java.time.Duration;

/**
 * The settings a server runs with, as Manage Stoker shows them to admins ({@code GET /settings}): the effective
 * values after defaults, the properties file, the environment and the options. Secrets are never in it: the
 * webhook secret and the admin password say only where they come from, a PostgreSQL URL loses its password.
 *
 * @param port          the configured port (0: a free one was chosen at start; the banner names it)
 * @param database      {@code h2 (embedded, in the data directory)} or the PostgreSQL URL without its password
 * @param compiler      {@code isolated} or {@code in-process}
 * @param webhookSecret {@code configured} or {@code generated} (in the data directory; rotate it under Webhooks)
 */
public record ServerSettings(String bind, int port, String dataDir, String database, int slots, long maxBodyBytes,
                             String compiler, String webhookSecret, boolean sshTrustFirstUse, boolean tls,
                             String agentHeartbeat, String agentLostTimeout, String stalledRunAfter,
                             String idleTimeout, String bodyTimeout, int maxConnectionsPerAddress,
                             long maxTaskLogBytes, boolean metricsPublic, String containerEngine,
                             String jobfileCpu) {

    public static ServerSettings of(ServerConfig c, String containerEngine) {
        return new ServerSettings(c.bind(), c.port(), c.dataDir().toString(),
                c.db() == null ? "h2 (embedded, in the data directory)" : PostgresUrl.parse(c.db()).toString(),
                c.slots(), c.maxBodyBytes(), c.isolatedCompiler() ? "isolated" : "in-process",
                c.webhookSecret() == null ? "generated" : "configured", c.sshTrustFirstUse(), c.tlsCert() != null,
                text(c.agentHeartbeat()), text(c.agentLostTimeout()), text(c.stalledRunAfter()),
                text(c.idleTimeout()), text(c.bodyTimeout()), c.maxConnectionsPerAddress(), c.maxTaskLogBytes(),
                c.metricsPublic(), containerEngine, text(c.jobfileCpu()));
    }

    /** A duration as the settings are written: {@code 500ms}, {@code 45s}, {@code 2m}. */
    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        return s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }
}
