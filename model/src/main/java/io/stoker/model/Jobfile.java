package io.stoker.model;

import java.util.List;
import java.util.Optional;

/** A compiled, validated Jobfile: one or more jobs. Immutable. */
public record Jobfile(String file, List<Job> jobs) {
    public Jobfile {
        jobs = List.copyOf(jobs);
    }

    public Optional<Job> job(String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
    }

    public int taskCount() {
        return jobs.stream().mapToInt(j -> j.tasks().size()).sum();
    }
}
