package io.stoker.server.forge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.stoker.model.Job;
import io.stoker.model.Triggers;

import java.util.List;
import java.util.Locale;

/**
 * The JSON a git host shows in its delivery log: what the delivery was and, per project whose repository it names,
 * what came of it (runs started, or why none did). {@code runs} repeats every run started, for scripts.
 *
 * @param repository the repository as normalised for matching ({@code github.com/org/repo}); null when the
 *                   delivery names none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryReply(String host, String event, String delivery, String repository, String message,
                            List<ProjectOutcome> projects, List<RunLink> runs, List<String> problems) {

    /** What became of a delivery for one project (and, for a push of several refs, one ref). */
    public enum Outcome {
        /** Runs started. */
        STARTED,
        /** A ping or test delivery: {@code jobs} would build a push. */
        WOULD_BUILD,
        /** No job's {@code push} trigger matches the branch; {@code jobs} lists each job's filters. */
        NO_MATCHING_BRANCH,
        /** The branch matched, but no changed file passed the jobs' {@code paths}/{@code pathsIgnore}. */
        PATH_FILTER,
        /** The head commit's message holds {@code [skip ci]}, {@code [ci skip]} or {@code [no ci]}. */
        SKIP_MARKER,
        /** A tag was pushed that no job's push trigger {@code tags} matches; {@code jobs} lists each job's filters. */
        TAG_PUSH,
        /** The tag was deleted. */
        TAG_DELETED,
        /** The branch was deleted. */
        BRANCH_DELETED,
        /** A pull/merge request was closed or merged: nothing is built, its Jobfile problem (if any) is dropped. */
        PULL_REQUEST_CLOSED,
        /** A pull request from a fork, in a project that does not build them ({@code allowForkBuilds}). */
        FORK_NOT_BUILT,
        /** Fetching or compiling took longer than a reply may wait; it goes on, and its outcome is logged. */
        PROCESSING,
        /** Stoker could not fetch the commit or compile its Jobfile; the host's redelivery may try again. */
        FAILED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One project's outcome; {@code jobs} are the jobs the reason is about (with their push filters). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProjectOutcome(String project, String ref, String commit, Outcome outcome, String reason,
                                 List<RunLink> runs, List<JobFilter> jobs, List<String> changedFiles) {
    }

    /** A run started by the delivery; {@code url} is its API resource, {@code page} its page in the web UI. */
    public record RunLink(String key, long number, String project, String job, String url, String page) {
        public static RunLink of(String key, long number, String project, String job) {
            return new RunLink(key, number, project, job, "/api/v1/runs/" + key, "/#/runs/" + key);
        }
    }

    /** A job and its push triggers as the reply shows them; no trigger means pushes never start it. */
    public record JobFilter(String job, List<PushFilter> push) {
        public static JobFilter of(Job job) {
            return new JobFilter(job.name(), job.triggers().push().stream().map(PushFilter::of).toList());
        }
    }

    /**
     * One push trigger's filters; empty lists match everything, but {@code tags} (absent when empty): no tag, and
     * given alone, no branch.
     */
    public record PushFilter(List<String> branches, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags,
                             List<String> paths, List<String> pathsIgnore) {
        static PushFilter of(Triggers.Push push) {
            return new PushFilter(push.branches(), push.tags(), push.paths(), push.pathsIgnore());
        }
    }
}
