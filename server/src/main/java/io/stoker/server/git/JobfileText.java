package io.stoker.server.git;

/** The Jobfile found at a commit: its file name (e.g. {@code Jobfile.yaml}) and its text. */
public record JobfileText(String name, String text) {
}
