package io.stoker.server.run;

/**
 * Filters of {@code GET /runs}; null means any. Pages count from 1.
 *
 * @param trigger what started the runs: one of {@link #TRIGGERS}
 */
public record RunFilter(String project, String job, String status, String branch, String trigger, int page,
                        int pageSize) {

    /** Every trigger kind a run can carry. */
    public static final java.util.List<String> TRIGGERS = java.util.List.of("api", "rerun", "push", "pull-request",
            "webhook", "cron", "poll", "upstream", "startup", "deploy", "shuttle");
}
