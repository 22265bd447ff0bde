package io.stoker.server.host;

import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.engine.exec.local.TaskSandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The executor of tasks that run on the server's own machine, and whether they see its data directory
 * ({@code STOKER_TASK_SANDBOX}): {@code off} (the default: they run as the server's user and can read everything it
 * can), {@code bwrap} (the data directory is hidden from them but for their own workspace; the server does not start
 * when bubblewrap does not work here) or {@code auto} (bwrap when it works, else off, with a warning).
 */
public final class HostTasks {
    /** The environment variable choosing the sandbox. */
    public static final String SETTING = "STOKER_TASK_SANDBOX";

    private HostTasks() {
    }

    /** The local executor, keeping its scratch files under {@code scratch}, hiding {@code data} when asked to. */
    public static LocalExecutor executor(Path scratch, Path data, Map<String, String> env) {
        LocalExecutor local = new LocalExecutor(scratch);
        String setting = env.getOrDefault(SETTING, "off").trim().toLowerCase(Locale.ROOT);
        LocalExecutor chosen = switch (setting) {
            case "", "off" -> local;
            case "auto", "bwrap" -> switch (TaskSandbox.probe(List.of(data))) {
                case TaskSandbox.Works works -> local.withSandbox(works.sandbox());
                case TaskSandbox.Fails fails when setting.equals("auto") -> {
                    LOG.warn("task sandbox: {}", fails.reason());
                    yield local;
                }
                case TaskSandbox.Fails fails -> throw new IllegalArgumentException(SETTING + "=bwrap, but "
                        + fails.reason() + "; set it to off or auto to start without it");
            };
            default -> throw new IllegalArgumentException(SETTING + " must be off, auto or bwrap, not '" + setting + "'");
        };
        if (chosen.sandbox().isPresent()) LOG.info("tasks on this machine run with {} hidden (bwrap)", data);
        else LOG.info("tasks on this machine run as this user and can read {} ({} to hide it)", data, SETTING);
        return chosen;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HostTasks.class);
}
