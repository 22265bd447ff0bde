package io.stoker.container;

import io.stoker.engine.exec.TaskLaunch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The names and labels of one attempt's containers: {@code stoker-HASH} for the task's, {@code stoker-HASH-NAME}
 * for each service. HASH covers owner, run, task, attempt and a random part: an attempt with trigger steps runs
 * several step groups, and a container being removed still holds its name for a moment.
 */
record AttemptNames(String task, String owner, String runKey) {
    static final String RUN_LABEL = "io.stoker.run";
    static final String OWNER_LABEL = "io.stoker.owner";
    static final String TASK_LABEL = "io.stoker.task";

    static AttemptNames of(String owner, TaskLaunch launch) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(owner, launch.runKey(), launch.task(), Integer.toString(launch.attempt()),
                    java.util.UUID.randomUUID().toString())) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return new AttemptNames("stoker-" + HexFormat.of().formatHex(sha.digest(), 0, 8), owner, launch.runKey());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String service(String name) {
        return task + "-" + name;
    }

    /** {@code --label} options every container of the attempt gets. */
    List<String> labels(String taskName) {
        return List.of("--label", RUN_LABEL + "=" + runKey, "--label", OWNER_LABEL + "=" + owner,
                "--label", TASK_LABEL + "=" + taskName);
    }
}
