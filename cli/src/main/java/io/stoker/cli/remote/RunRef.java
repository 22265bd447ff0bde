package io.stoker.cli.remote;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A run as the user names it: its 26-character key, or {@code PROJECT/JOB#N} (the job's N-th run). */
final class RunRef {
    /** The parameter description every command that takes a run shows. */
    static final String DESCRIPTION = "the run: its key (as 'stoker trigger' and 'stoker runs' print it) or PROJECT/JOB#N";
    private static final Pattern NUMBERED = Pattern.compile("([^/#]+)/([^#]+)#(\\d+)");

    private RunRef() {
    }

    /** The run's key: as given, or looked up through {@code GET /projects/P/jobs/J/runs/N}. */
    static String key(StokerClient client, String ref) {
        Matcher m = NUMBERED.matcher(ref);
        if (!m.matches()) return ref;
        return client.get("/projects/" + StokerClient.segment(m.group(1)) + "/jobs/" + StokerClient.segment(m.group(2))
                + "/runs/" + m.group(3)).path("key").asText();
    }
}
