package io.stoker.model;

import java.util.List;
import java.util.Map;

/**
 * One concrete task of a job's graph.
 *
 * @param name          unique within the job; a matrix cell is named {@code base[k1=v1,k2=v2]}
 * @param baseName      the name written in the Jobfile (equal to {@code name} outside a matrix)
 * @param matrix        this cell's matrix values in declaration order, empty outside a matrix
 * @param steps         run in order in the run workspace; the first failing step fails the task
 * @param needs         tasks that must finish first (concrete names)
 * @param input         the task whose stdout streams into this task's stdin, or null
 * @param env           task-level environment (templates), added over the job's
 * @param secrets       extra secrets this task may read
 * @param artifacts     glob patterns, relative to the workspace, collected when its steps end as {@code artifactsWhen} says
 * @param artifactsWhen after which ending the artifacts are collected; null reads as {@link ArtifactsWhen#ON_SUCCESS}
 * @param testReports   glob patterns, relative to the workspace, of JUnit XML files read when its steps end (succeeded or failed)
 * @param cache         what the task keeps between runs, or null for nothing
 * @param retry         how many times a failed attempt is run again (0 = one attempt)
 * @param timeoutMillis per-attempt time limit, 0 for none
 * @param allowFailure  whether its failure (every attempt failed or timed out) leaves the run as if it succeeded
 * @param when          the run condition as written, or null for the default {@code success()}
 * @param agent         label expression choosing where the task runs, null to inherit the job's
 * @param approval      a gate the run waits at before the task's first step, or null for none
 * @param container     the image its steps run in (the job's default already applied), null to run on the host
 */
public record Task(
        String name,
        String baseName,
        Map<String, String> matrix,
        List<Step> steps,
        List<String> needs,
        String input,
        Map<String, String> env,
        List<String> secrets,
        List<String> artifacts,
        ArtifactsWhen artifactsWhen,
        List<String> testReports,
        Cache cache,
        int retry,
        long timeoutMillis,
        boolean allowFailure,
        String when,
        String agent,
        Approval approval,
        Container container,
        Pos pos) {

    public Task {
        matrix = Maps.ordered(matrix);
        steps = List.copyOf(steps);
        needs = List.copyOf(needs);
        env = Maps.ordered(env);
        secrets = List.copyOf(secrets);
        artifacts = List.copyOf(artifacts);
        // a job stored before artifacts had a when reads back with none: it collected on success only
        artifactsWhen = artifactsWhen == null ? ArtifactsWhen.ON_SUCCESS : artifactsWhen;
        // a job stored before test reports existed reads back with none
        testReports = testReports == null ? List.of() : List.copyOf(testReports);
    }

    /** A task without test reports. */
    public Task(String name, String baseName, Map<String, String> matrix, List<Step> steps, List<String> needs,
                String input, Map<String, String> env, List<String> secrets, List<String> artifacts,
                ArtifactsWhen artifactsWhen, Cache cache, int retry, long timeoutMillis, boolean allowFailure,
                String when, String agent, Approval approval, Container container, Pos pos) {
        this(name, baseName, matrix, steps, needs, input, env, secrets, artifacts, artifactsWhen, List.of(), cache,
                retry, timeoutMillis, allowFailure, when, agent, approval, container, pos);
    }

    /** Every task this one waits for: its {@code needs} and its pipe writer. */
    public List<String> upstream() {
        if (input == null || needs.contains(input)) return needs;
        var all = new java.util.ArrayList<>(needs);
        all.add(input);
        return List.copyOf(all);
    }

    public boolean isMatrixCell() {
        return !matrix.isEmpty();
    }
}
