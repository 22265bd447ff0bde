package io.stoker.server.project;

/**
 * What a client posts to create or replace a project: {@code gitUrl} (with an optional {@code branch}) or
 * {@code jobfile} text (with an optional {@code file} name that picks the syntax, default {@code Jobfile}), and
 * optionally the {@code webhookSecret} of its push webhooks and the name of the git {@code credentials} it fetches
 * with (for both, null keeps the current value and "" removes it).
 */
public record ProjectSpec(String name, String gitUrl, String branch, String jobfile, String file, String webhookSecret,
                          String credentials) {
}
