package io.stoker.model;

import java.util.List;
import java.util.Optional;

/**
 * A compiled, validated Jobfile: one or more jobs and the targets its published versions deploy to. Immutable.
 *
 * @param targets the {@code deploy('name') { … }} blocks, in written order
 */
public record Jobfile(String file, List<Job> jobs, List<DeployTarget> targets) {
    public Jobfile {
        jobs = List.copyOf(jobs);
        // absent from models written before deploy targets existed: none
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** A Jobfile without deploy targets. */
    public Jobfile(String file, List<Job> jobs) {
        this(file, jobs, List.of());
    }

    public Optional<DeployTarget> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<Job> job(String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
    }

    public int taskCount() {
        return jobs.stream().mapToInt(j -> j.tasks().size()).sum();
    }
}
