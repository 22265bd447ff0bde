package io.stoker.server.project;

import io.stoker.model.Job;

/**
 * What a run is built from: the compiled job, and for git projects the commit and branch (null for freestyle).
 */
public record BuildSource(String project, Job job, String gitUrl, String commit, String branch) {
}
