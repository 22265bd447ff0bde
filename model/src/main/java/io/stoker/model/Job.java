package io.stoker.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job: parameters, environment and a graph of tasks. Matrix tasks are already expanded into one
 * {@link Task} per cell, and every {@code needs} names a concrete task, so the engine never sees a matrix.
 *
 * @param env           job-level environment; values are templates that may hold {@code ${{ }}}
 * @param secrets       names of secrets every task of the job may read
 * @param timeoutMillis the whole run's time limit, 0 for none
 * @param agent         label expression choosing where tasks run, null for "anywhere"
 * @param concurrency   at most this many runs of the job at a time, 0 for no limit
 * @param notifications who is told about the job's runs ({@code notify { … }} blocks), in written order
 * @param publish       publishes a successful run's artifacts as a version of the project; null when it does not
 */
public record Job(
        String name,
        String description,
        List<Parameter> parameters,
        Map<String, String> env,
        List<String> secrets,
        long timeoutMillis,
        String agent,
        int concurrency,
        boolean retryOnRestart,
        Triggers triggers,
        List<Task> tasks,
        List<Notify> notifications,
        Publish publish,
        Pos pos) {

    public Job {
        parameters = List.copyOf(parameters);
        env = Maps.ordered(env);
        secrets = List.copyOf(secrets);
        tasks = List.copyOf(tasks);
        // absent from models stored before notify existed (run rows, a worker's JSON): none
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
        triggers = triggers == null ? Triggers.NONE : triggers;
        description = description == null ? "" : description;
    }

    public Optional<Task> task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
