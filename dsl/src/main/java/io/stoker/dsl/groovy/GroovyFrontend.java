package io.stoker.dsl.groovy;

import io.stoker.dsl.Frontend;
import io.stoker.dsl.draft.JobfileDraft;

/** Reads the Groovy Jobfile DSL inside the compile sandbox. */
public final class GroovyFrontend implements Frontend {

    @Override
    public JobfileDraft read(String file, String text) {
        throw new UnsupportedOperationException("Groovy front end not built yet");
    }
}
