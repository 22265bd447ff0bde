package io.stoker.server.project;

/** A Jobfile as read from somewhere: its file name (which picks the syntax) and text. */
public record JobfileText(String name, String text) {
}
