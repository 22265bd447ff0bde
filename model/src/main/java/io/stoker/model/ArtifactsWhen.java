package io.stoker.model;

import java.util.Arrays;
import java.util.List;

/**
 * When a task's {@code artifacts} are collected, as GitLab's {@code artifacts: when:}: after its steps succeeded (the
 * default), after one failed (a test report is most needed then), or both. A task that timed out or was cancelled
 * keeps none: its process was killed, maybe in the middle of writing them.
 */
public enum ArtifactsWhen {
    /** When its steps succeeded (the default). */
    ON_SUCCESS("on-success"),
    /** Only when a step failed on its last attempt. */
    ON_FAILURE("on-failure"),
    /** Whether its steps succeeded or failed. */
    ALWAYS("always");

    private final String word;

    ArtifactsWhen(String word) {
        this.word = word;
    }

    /** As written in a Jobfile: {@code on-success}, {@code on-failure}, {@code always}. */
    public String word() {
        return word;
    }

    /** The choice a Jobfile word names, or null. */
    public static ArtifactsWhen ofWord(String word) {
        for (ArtifactsWhen w : values()) if (w.word.equals(word)) return w;
        return null;
    }

    /** Every word, in declaration order. */
    public static List<String> words() {
        return Arrays.stream(values()).map(ArtifactsWhen::word).toList();
    }

    /** Whether a task whose steps succeeded keeps its artifacts. */
    public boolean afterSuccess() {
        return this != ON_FAILURE;
    }

    /** Whether a task whose step failed (on its last attempt) keeps its artifacts. */
    public boolean afterFailure() {
        return this != ON_SUCCESS;
    }
}
