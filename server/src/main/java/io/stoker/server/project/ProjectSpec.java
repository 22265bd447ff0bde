package io.stoker.server.project;

/**
 * What a client posts to create or replace a project: {@code gitUrl} (with an optional {@code branch}) or
 * {@code jobfile} text (with an optional {@code file} name that picks the syntax, default {@code Jobfile}), and
 * optionally the {@code webhookSecret} of its push webhooks (null keeps the current one, "" removes it).
 */
public record ProjectSpec(String name, String gitUrl, String branch, String jobfile, String file, String webhookSecret) {
}
