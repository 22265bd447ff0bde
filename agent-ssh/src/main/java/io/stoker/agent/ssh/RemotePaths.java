package io.stoker.agent.ssh;

import io.stoker.engine.files.SafeFileName;

/**
 * The layout under an agent's work directory: {@code runs/<run>/ws} is the run's workspace copy and
 * {@code runs/<run>/attempts/<task>.<attempt>/} holds one attempt's scripts, env file, output files and exit code.
 */
final class RemotePaths {
    private RemotePaths() {
    }

    static String run(String workDir, String runKey) {
        return workDir + "/runs/" + SafeFileName.of(runKey);
    }

    static String workspace(String workDir, String runKey) {
        return run(workDir, runKey) + "/ws";
    }

    static String attempt(String workDir, String runKey, String task, int attempt) {
        return run(workDir, runKey) + "/attempts/" + SafeFileName.of(task) + "." + attempt;
    }
}
