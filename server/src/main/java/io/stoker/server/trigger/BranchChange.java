package io.stoker.server.trigger;

/**
 * A branch whose head moved since the last poll.
 *
 * @param previous the head seen last time, or null for a branch not seen before
 * @param commit   the head now
 */
public record BranchChange(String branch, String previous, String commit) {
    /** True for a branch that did not exist at the last poll. */
    public boolean isNew() {
        return previous == null;
    }
}
