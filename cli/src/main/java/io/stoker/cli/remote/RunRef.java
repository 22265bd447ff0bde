package io.stoker.cli.remote;

import io.stoker.cli.CliException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A run as the user names it: its 26-character key, or {@code PROJECT/JOB#N} (the job's N-th run). */
final class RunRef {
    /** The parameter description every command that takes a run shows. */
    static final String DESCRIPTION = "the run: its key (as 'stoker trigger' and 'stoker runs' print it) or PROJECT/JOB#N";
    private static final Pattern NUMBERED = Pattern.compile("([^/#]+)/([^#]+)#(.*)");
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,17}");

    private RunRef() {
    }

    /**
     * The run's key: as given, or looked up through {@code GET /projects/P/jobs/J/runs/N}. A key has no '#', so a
     * reference with one that is not {@code PROJECT/JOB#N} is refused here rather than reported as an unknown key.
     */
    static String key(StokerClient client, String ref) {
        if (ref.indexOf('#') < 0) return ref;
        Matcher m = NUMBERED.matcher(ref);
        if (!m.matches()) {
            throw CliException.usage("name a run by its key or as PROJECT/JOB#N, not '" + ref + "'");
        }
        if (!NUMBER.matcher(m.group(3)).matches()) {
            // worded as the API words a run number that is not one
            throw CliException.usage("the run number after '#' must be a whole number from 1, not '" + m.group(3) + "'");
        }
        return client.get("/projects/" + StokerClient.segment(m.group(1)) + "/jobs/" + StokerClient.segment(m.group(2))
                + "/runs/" + m.group(3)).path("key").asText();
    }
}
