package io.stoker.server.git;

/** A branch, tag or commit SHA that the project's mirror does not contain (after its last sync). */
public final class UnknownRefException extends GitMirrorException {
    private final String ref;

    public UnknownRefException(String project, String ref) {
        super("project '" + project + "': no branch, tag or commit named '" + ref + "' in its repository");
        this.ref = ref;
    }

    /** The flag only tells this constructor from the public one: both take two strings. */
    private UnknownRefException(String message, String ref, boolean noCommits) {
        super(message);
        this.ref = ref;
    }

    /** No ref at all: a repository just created has nothing to build until its first push. */
    static UnknownRefException noCommits(String project, String ref) {
        return new UnknownRefException("project '" + project + "': the repository has no commits yet (push one with "
                + "a Jobfile)", ref, true);
    }

    public String ref() {
        return ref;
    }
}
