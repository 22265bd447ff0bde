package io.stoker.dsl.draft;

import io.stoker.model.Diagnostic;

import java.util.ArrayList;
import java.util.List;

/**
 * What a front end (Groovy DSL, YAML, JSON) read, before validation: mutable, with positions, possibly wrong.
 * Front ends add the problems they can see themselves (unknown words, syntax) to {@link #diagnostics}.
 */
public final class JobfileDraft {
    public final String file;
    public final List<JobDraft> jobs = new ArrayList<>();
    public final List<DeployDraft> deploys = new ArrayList<>();
    public final List<Diagnostic> diagnostics = new ArrayList<>();
    /**
     * True when evaluating the Jobfile stopped before its end (a limit struck, a Groovy error): what was read is
     * partial, and checking it whole would blame the cut for missing parts ("job 'j' has no task").
     */
    public boolean cutShort;

    public JobfileDraft(String file) {
        this.file = file;
    }
}
