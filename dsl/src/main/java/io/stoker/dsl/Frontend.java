package io.stoker.dsl;

import io.stoker.dsl.draft.JobfileDraft;

/**
 * Reads one Jobfile syntax (Groovy DSL, YAML, JSON) into a draft. A front end never throws on bad input:
 * what it cannot read becomes a diagnostic in the draft, with the line and column where it was found.
 */
public interface Frontend {

    /** @param file the name diagnostics print, e.g. {@code Jobfile} or {@code ci/Jobfile.yaml} */
    JobfileDraft read(String file, String text);
}
