package io.stoker.dsl.draft;

import io.stoker.model.Pos;

/** A {@code deploy('name') { … }} block as written; a null field was not given. */
public final class DeployDraft {
    public String name;
    public Pos pos = Pos.NONE;
    public Located<String> agent;
    public Located<String> run;
    public Located<String> file;
    public Located<String> healthcheck;
    public Located<Integer> within;
}
