package io.stoker.container;

import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.exec.local.LocalExecutor;

import java.io.IOException;
import java.util.Optional;

/**
 * The executor for tasks that name an image: each attempt runs in a container of that image with its services
 * ({@link ContainerAttempt}); every other attempt goes to {@code host}. Without an engine on the host, a task with
 * an image fails to start with {@link ContainerEngine#MISSING}. {@code --privileged}, host networking and host
 * mounts other than the run's workspace are used only when the task asks for them, which a run is allowed only
 * where its project's admin allowed host access (checked before the run starts).
 */
public final class ContainerExecutor implements Executor {
    static final String IN_CONTAINER_SHELL = "/bin/sh";

    private final Executor host;
    private final LocalExecutor steps;
    private final ContainerEngine engine;
    private final ContainerSettings settings;

    /**
     * @param host   runs attempts without an image
     * @param steps  writes an attempt's scripts into its scratch directory (mounted into the container)
     * @param engine the engine found at start, empty when there is none
     */
    public ContainerExecutor(Executor host, LocalExecutor steps, Optional<ContainerEngine> engine, ContainerSettings settings) {
        this.host = host;
        this.steps = steps;
        this.engine = engine.orElse(null);
        this.settings = settings;
    }

    /** The engine tasks with an image run on, if any. */
    public Optional<ContainerEngine> engine() {
        return Optional.ofNullable(engine);
    }

    /** How its containers are run and labelled. */
    public ContainerSettings settings() {
        return settings;
    }

    /**
     * Removes every container this owner left (a crash, a kill -9): call it once when the server starts, before
     * any run. Returns how many were removed; 0 without an engine.
     */
    public int reapLeftovers() throws IOException {
        return reapLeftoversOf(settings.owner());
    }

    /**
     * Removes every container another owner left: one of the servers of a cluster on this machine, found gone (its
     * tasks were taken over or failed). Returns how many were removed; 0 without an engine.
     */
    public int reapLeftoversOf(String owner) throws IOException {
        return engine == null ? 0 : Leftovers.reap(new EngineCli(engine), engine, owner);
    }

    @Override
    public RunningTask start(TaskLaunch launch) throws IOException {
        if (launch.container() == null) return host.start(launch);
        if (engine == null) throw new IOException(ContainerEngine.MISSING);
        LocalExecutor.Prepared prepared = steps.prepare(launch, IN_CONTAINER_SHELL);
        return ContainerAttempt.start(new EngineCli(engine), engine, settings, prepared);
    }
}
