package io.stoker.server.project;

import io.stoker.model.Job;

/**
 * What a run is built from: the compiled job, and for git projects the commit and branch (null for freestyle), and
 * the tag when the run was asked for at one (null otherwise).
 */
public record BuildSource(String project, Job job, String gitUrl, String commit, String branch, String tag) {

    /** A source of no tag. */
    public BuildSource(String project, Job job, String gitUrl, String commit, String branch) {
        this(project, job, gitUrl, commit, branch, null);
    }
}
