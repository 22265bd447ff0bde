package io.stoker.server.shuttle;

import io.stoker.engine.image.RegistryCredentials;
import io.stoker.engine.run.RunState;
import io.stoker.server.Problem;
import io.stoker.server.run.RunService;
import io.stoker.server.secret.SecretInfo;
import io.stoker.server.secret.SecretInput;
import io.stoker.server.secret.SecretScope;
import io.stoker.server.secret.SecretSource;
import io.stoker.server.secret.SecretStore;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The login of a {@code docker://} destination, kept for its build's push step as a project secret of the app
 * (sealed like any other) under a random name: the run reads it as it reads any registry login, masks its password
 * in the log, and the run record holds only the name. The secrets of builds that are over are deleted at the app's
 * next build.
 */
final class DestinationLogins {
    static final String PREFIX = "SHUTTLE_LOGIN_";
    private static final Set<RunState> ACTIVE = Set.of(RunState.QUEUED, RunState.RUNNING);
    /** An unclaimed login younger than this may belong to a POST still starting its run. */
    private static final Duration CLAIM_GRACE = Duration.ofMinutes(10);
    private static final String ACTOR = "shuttle";

    private final SecretStore secrets;
    private final ShuttleBuilds builds;
    private final RunService runs;
    private final Clock clock;

    DestinationLogins(SecretStore secrets, ShuttleBuilds builds, RunService runs, Clock clock) {
        this.secrets = secrets;
        this.builds = builds;
        this.runs = runs;
        this.clock = clock;
    }

    /** Stores {@code login} as a new secret of project {@code app}; returns its name. */
    String keep(String app, RegistryCredentials login) throws SQLException {
        String name = PREFIX + UUID.randomUUID().toString().replace("-", "").toUpperCase(java.util.Locale.ROOT);
        secrets.create(new SecretInput(name, SecretScope.of(app),
                new SecretSource.Value(login.user() + ":" + login.password()), null), ACTOR);
        return name;
    }

    /** Deletes the logins of {@code app}'s builds that are over, and those no build claimed in time. */
    void sweep(String app) throws SQLException {
        SecretScope scope = SecretScope.of(app);
        List<SecretInfo> kept;
        try {
            kept = secrets.list(scope);
        } catch (Problem noProject) {
            if (noProject.status() == 404) return; // the app's first build: no project yet
            throw noProject;
        }
        for (SecretInfo s : kept) {
            if (!s.name().startsWith(PREFIX)) continue;
            Optional<String> run = builds.runKeyOfLogin(app, s.name());
            boolean over = run.isPresent()
                    ? !ACTIVE.contains(runs.get(run.get()).status())
                    : s.createdAt().plus(CLAIM_GRACE).isBefore(clock.instant());
            if (!over) continue;
            try {
                secrets.delete(scope, s.name());
            } catch (Problem gone) {
                if (gone.status() != 404) throw gone; // else another build's sweep took it
            }
        }
    }
}
