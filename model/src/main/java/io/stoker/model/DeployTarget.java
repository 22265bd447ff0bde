package io.stoker.model;

import java.util.regex.Pattern;

/**
 * {@code deploy('staging') { agent 'web-1'; run 'java -jar {file}'; file 'app-*.jar'; healthcheck '…', within: 60 }}:
 * where and how a published version of the project runs. With a healthcheck the command is a long-running service
 * (started detached, kept after the deployment, stopped by the next one); without, a one-shot runner whose clean exit
 * is the verdict.
 *
 * @param agent          label expression choosing the agent, null to run on the server's own machine
 * @param run            the shell command; {@code {file}} stands for the version's file that matches {@code file}
 * @param file           glob over the version's files picking the one to run ({@code $STOKER_ARTIFACT}), or null
 * @param healthcheck    shell command that exits 0 once the service works, or null for a one-shot runner
 * @param withinSeconds  how long the healthcheck may take to pass (and the service must stay up meanwhile)
 */
public record DeployTarget(String name, String agent, String run, String file, String healthcheck, int withinSeconds,
                           Pos pos) {
    /** The healthcheck window when none is written. */
    public static final int DEFAULT_WITHIN_SECONDS = 60;
    /** The longest healthcheck window. */
    public static final int MAX_WITHIN_SECONDS = 3600;
    /** What a target's name may look like: it names a directory on the machine it runs on. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** Where {@link #run} wants the file name. */
    public static final String FILE_PLACEHOLDER = "{file}";

    public DeployTarget {
        pos = pos == null ? Pos.NONE : pos;
        withinSeconds = withinSeconds <= 0 ? DEFAULT_WITHIN_SECONDS : withinSeconds;
    }

    /** True for a long-running service (it has a healthcheck), false for a one-shot runner. */
    public boolean isService() {
        return healthcheck != null;
    }
}
