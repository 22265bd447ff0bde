package io.stoker.server.endnews;

/**
 * What tells the world that a run ended, each one bit of the run's {@code end_told} column. A run all of them have
 * told is marked {@code -1} (every bit), as every run that had ended before this column existed is: a teller added
 * later is then not asked about old runs. A new teller takes the next free bit.
 */
public enum EndTeller {
    STATUS_WEBHOOKS(1, "status webhooks"),
    NOTIFICATIONS(2, "notifications"),
    COMMIT_STATUSES(4, "commit statuses"),
    AFTER_TRIGGERS(8, "after triggers");

    /** Every teller's bit: a run whose mark holds them all is marked {@code -1}. */
    static final int ALL = java.util.Arrays.stream(values()).mapToInt(EndTeller::bit).reduce(0, (a, b) -> a | b);

    private final int bit;
    private final String label;

    EndTeller(int bit, String label) {
        this.bit = bit;
        this.label = label;
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
