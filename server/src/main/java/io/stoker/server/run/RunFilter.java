package io.stoker.server.run;

/**
 * Filters of {@code GET /runs}; null means any. Pages count from 1.
 *
 * @param trigger what started the runs: one of {@link #TRIGGERS}
 * @param before  a run's key: only runs older than it (keyset paging, steady while runs are added), or null
 */
public record RunFilter(String project, String job, String status, String branch, String trigger, int page,
                        int pageSize, String before) {

    /** Pages counted from the newest run. */
    public RunFilter(String project, String job, String status, String branch, String trigger, int page, int pageSize) {
        this(project, job, status, branch, trigger, page, pageSize, null);
    }

    /** Every trigger kind a run can carry. */
    public static final java.util.List<String> TRIGGERS = java.util.List.of("api", "rerun", "push", "pull-request",
            "webhook", "cron", "poll", "upstream", "startup", "deploy", "shuttle");
}
