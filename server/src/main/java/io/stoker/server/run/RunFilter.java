package io.stoker.server.run;

/** Filters of {@code GET /runs}; null means any. Pages count from 1. */
public record RunFilter(String project, String job, String status, String branch, int page, int pageSize) {
}
