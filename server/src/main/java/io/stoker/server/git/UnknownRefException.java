package io.stoker.server.git;

/** A branch, tag or commit SHA that the project's mirror does not contain (after its last sync). */
public final class UnknownRefException extends GitMirrorException {
    private final String ref;

    public UnknownRefException(String project, String ref) {
        super("project '" + project + "': no branch, tag or commit named '" + ref + "' in its repository");
        this.ref = ref;
    }

    public String ref() {
        return ref;
    }
}
