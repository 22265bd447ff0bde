package io.stoker.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a {@code notify { on … }} block reacts to. {@code FIXED} is a run's first success after a failed (or timed
 * out) run of the same job and branch; {@code WAITING} is a run stopped for an approval.
 */
public enum NotifyEvent {
    STARTED, SUCCEEDED, FAILED, FIXED, CANCELLED, WAITING;

    /** What {@code notify} reacts to when its block names no {@code on}. */
    public static final List<NotifyEvent> DEFAULT = List.of(FAILED, FIXED);

    /** Lower-case name, as written in a Jobfile. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NotifyEvent> ofLabel(String label) {
        for (NotifyEvent e : values()) if (e.label().equals(label)) return Optional.of(e);
        return Optional.empty();
    }

    public static List<String> labels() {
        return java.util.Arrays.stream(values()).map(NotifyEvent::label).toList();
    }
}
