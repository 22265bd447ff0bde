package io.stoker.container;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the containers (with their anonymous volumes) an owner left: a crashed server's tasks and services, or
 * one attempt's containers after it ended.
 */
final class Leftovers {
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private Leftovers() {
    }

    /** Every container labelled with this owner; returns how many were removed. */
    static int reap(EngineCli cli, ContainerEngine engine, String owner) throws IOException {
        EngineCli.Result listed = cli.run(LIMIT, "ps", "-a", "-q", "--filter", "label=" + AttemptNames.OWNER_LABEL + "=" + owner);
        if (!listed.ok()) throw new IOException("cannot list leftover containers: " + listed.lastLine());
        List<String> ids = listed.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        remove(cli, engine, ids);
        return ids.size();
    }

    /**
     * Removes containers at once (SIGKILL, no grace). Services join the task container's network, so an engine may
     * refuse the task's container until they are gone: a second pass takes what the first could not.
     */
    static void remove(EngineCli cli, ContainerEngine engine, List<String> names) throws IOException {
        if (names.isEmpty()) return;
        EngineCli.Result last = null;
        for (int pass = 0; pass < 3; pass++) {
            List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
            if (engine.kind() == ContainerEngine.Kind.PODMAN) args.addAll(List.of("-t", "0", "--ignore"));
            args.addAll(names);
            last = cli.run(LIMIT, args, java.util.Map.of());
            if (last.ok()) return;
        }
        // left for the next start's sweep; said, so that an engine in trouble does not fill the host unnoticed
        throw new IOException("cannot remove containers " + String.join(", ", names) + ": " + last.lastLine());
    }
}
