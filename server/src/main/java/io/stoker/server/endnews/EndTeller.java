package io.stoker.server.endnews;

/**
 * What tells the world that a run ended, each one bit of the run's {@code end_told} column. A run all of them have
 * told is marked {@code -1} (every bit), as every run that had ended before this column existed is: a teller added
 * later is then not asked about old runs. A new teller takes the next free bit. The tellers that also tell a run's
 * start ({@link #tellsStarts}) mark it with the same bit in {@code start_told}, and those that tell its queued
 * ({@link #tellsQueued}) in {@code queued_told}.
 */
public enum EndTeller {
    // the status webhooks' queued goes out as the run's receivers are saved (StatusWebhooks.receiversKnown)
    STATUS_WEBHOOKS(1, "status webhooks", true, false),
    NOTIFICATIONS(2, "notifications", true, false),
    COMMIT_STATUSES(4, "commit statuses", true, true),
    AFTER_TRIGGERS(8, "after triggers", false, false);

    /** Every teller's bit: a run whose mark holds them all is marked {@code -1}. */
    static final int ALL = java.util.Arrays.stream(values()).mapToInt(EndTeller::bit).reduce(0, (a, b) -> a | b);
    /** The bits of the tellers of a run's start: a run whose start mark holds them all is marked {@code -1}. */
    static final int ALL_STARTS = java.util.Arrays.stream(values()).filter(EndTeller::tellsStarts)
            .mapToInt(EndTeller::bit).reduce(0, (a, b) -> a | b);
    /** The bits of the tellers of a run's queued: a run whose queued mark holds them all is marked {@code -1}. */
    static final int ALL_QUEUED = java.util.Arrays.stream(values()).filter(EndTeller::tellsQueued)
            .mapToInt(EndTeller::bit).reduce(0, (a, b) -> a | b);

    private final int bit;
    private final String label;
    private final boolean tellsStarts;
    private final boolean tellsQueued;

    EndTeller(int bit, String label, boolean tellsStarts, boolean tellsQueued) {
        this.bit = bit;
        this.label = label;
        this.tellsStarts = tellsStarts;
        this.tellsQueued = tellsQueued;
    }

    /**
     * Whether it tells a run's {@code queued} under the mark of {@link QueuedTold} (the commit statuses' pending):
     * once, and after a crash at the next start.
     */
    public boolean tellsQueued() {
        return tellsQueued;
    }

    /** Whether it tells a run's start too ({@code running}, {@code started}): an after-trigger waits for the end. */
    public boolean tellsStarts() {
        return tellsStarts;
    }

    /** What it is called in the server's log. */
    public String label() {
        return label;
    }

    int bit() {
        return bit;
    }

    /** Whether a run's mark says this teller has told its end. */
    boolean toldIn(int mark) {
        return (mark & bit) != 0;
    }
}
