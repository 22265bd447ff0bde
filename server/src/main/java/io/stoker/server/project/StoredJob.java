package io.stoker.server.project;

import io.stoker.model.Job;

/** A job as last compiled for its project, with the commit it came from (null for freestyle projects). */
public record StoredJob(String project, Job job, String commit) {
}
