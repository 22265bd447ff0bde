package io.stoker.dsl;

import java.util.Map;
import java.util.Optional;

/**
 * Words of Jenkins, GitLab CI, GitHub Actions and Woodpecker that a newcomer writes inside a job or task, with
 * Stoker's way to say them in each front end. The closest Stoker word by spelling would mislead there
 * ({@code stage} → "did you mean 'image'?"), so these are answered instead of a guess.
 */
public final class ForeignWords {

    /** What a YAML hint repeats of the value written under the foreign key. */
    public enum Takes {
        /** Nothing: the hint is a sentence. */
        NOTHING,
        /** A string or a list of strings ({@code sh}, {@code needs}). */
        TEXTS,
        /** A map of names to strings ({@code env}). */
        NAMES_TO_TEXTS
    }

    /**
     * Stoker's way to say the word in YAML/JSON: {@code sentence} with {@code %s} standing for the value as written,
     * when it has the shape {@code takes}, or else for {@code example}.
     */
    public record YamlHint(String sentence, Takes takes, String example) {
        /** The hint with {@code written} (the value as written, or empty when it cannot be repeated) in place. */
        public String with(Optional<String> written) {
            return takes == Takes.NOTHING ? sentence : sentence.formatted(written.orElse(example));
        }
    }

    private record Said(String groovy, YamlHint yaml) {
    }

    private static final Said NEEDS = new Said("write needs 'task'", new YamlHint("write needs: %s", Takes.TEXTS, "[task]"));
    private static final Said ENV = new Said("write env NAME: 'value'", new YamlHint("write env: %s", Takes.NAMES_TO_TEXTS,
            "{NAME: value}"));
    private static final Said BRANCH_CONDITION = new Said("for the branches a task runs on, write when "
            + "'run.branch == \"main\"'", new YamlHint("for the branches a task runs on, write when: run.branch == 'main'",
            Takes.NOTHING, null));
    private static final Said ALLOW_FAILURE = new Said("write allowFailure true (its failure then does not fail the run)",
            new YamlHint("write allowFailure: true (its failure then does not fail the run)", Takes.NOTHING, null));
    private static final Map<String, Said> WORDS = Map.ofEntries(
            Map.entry("stage", new Said("a stage is a task here: task('name') { sh '…' }",
                    new YamlHint("a stage is a task here: tasks: {name: {sh: …}} in the job", Takes.NOTHING, null))),
            Map.entry("stages", new Said("tasks need no stages block: write task('name') { sh '…' } in the job",
                    new YamlHint("tasks need no stages: write tasks: {name: {sh: …}} in the job", Takes.NOTHING, null))),
            Map.entry("steps", new Said("a task's steps are its sh lines: write sh '…' in the task itself",
                    new YamlHint("a task's steps are its sh lines: write sh: %s", Takes.TEXTS, "['…', '…']"))),
            Map.entry("script", new Said("a script is a step: write sh '…'",
                    new YamlHint("a script is a step: write sh: %s", Takes.TEXTS, "'…'"))),
            Map.entry("parallel", new Said("tasks run in parallel unless one needs another: write task('a') { … } and "
                    + "task('b') { … } without needs",
                    new YamlHint("tasks run in parallel unless one needs another: write them under tasks: without needs",
                            Takes.NOTHING, null))),
            Map.entry("post", new Said("for what runs after the others, write a task that needs them with when "
                    + "'always()' (or 'failure()')",
                    new YamlHint("for what runs after the others, write a task that needs them with when: always() "
                            + "(or failure())", Takes.NOTHING, null))),
            Map.entry("allow_failure", ALLOW_FAILURE),
            Map.entry("continue-on-error", ALLOW_FAILURE),
            Map.entry("continueOnError", ALLOW_FAILURE),
            Map.entry("failure", ALLOW_FAILURE),
            Map.entry("if", new Said("a condition is written when 'expression', e.g. when 'run.branch == \"main\"'",
                    new YamlHint("a condition is written when: expression, e.g. when: run.branch == 'main'",
                            Takes.NOTHING, null))),
            Map.entry("runs-on", new Said("where a task runs is written agent 'label' (without it, on the server)",
                    new YamlHint("where a task runs is written agent: label (without it, on the server)",
                            Takes.NOTHING, null))),
            Map.entry("timeout-minutes", new Said("write timeout minutes: 10 (or timeout '10m')",
                    new YamlHint("write timeout: 10m (or timeout: {minutes: 10})", Takes.NOTHING, null))),
            Map.entry("strategy", new Said("a matrix is written matrix AXIS: ['a', 'b'] in the task itself",
                    new YamlHint("a matrix is written matrix: {AXIS: [a, b]} in the task itself", Takes.NOTHING,
                            null))),
            Map.entry("catchError", ALLOW_FAILURE),
            Map.entry("interruptible", new Said("a newer push cancels older runs when the job says cancelSuperseded "
                    + "true", new YamlHint("a newer push cancels older runs when the job says cancelSuperseded: true",
                    Takes.NOTHING, null))),
            Map.entry("only", BRANCH_CONDITION),
            Map.entry("except", BRANCH_CONDITION),
            Map.entry("rules", new Said("write the condition as when 'run.branch == \"main\"' (an expression)",
                    new YamlHint("write the condition as when: run.branch == 'main' (an expression)", Takes.NOTHING,
                            null))),
            Map.entry("cache", new Said("a cache belongs to a task: write cache 'node_modules', key: 'deps', "
                    + "files: ['package-lock.json'] in the task",
                    new YamlHint("a cache belongs to a task: write cache: {paths: [node_modules], files: "
                            + "[package-lock.json]} in the task", Takes.NOTHING, null))),
            Map.entry("junit", new Said("write testReports 'build/test-results/**/*.xml' in the task (JUnit XML "
                    + "files, read when its steps end, succeeded or failed)",
                    new YamlHint("write testReports: %s in the task (JUnit XML files, read when its steps end, "
                            + "succeeded or failed)", Takes.TEXTS, "['build/test-results/**/*.xml']"))),
            Map.entry("environment", ENV),
            Map.entry("variables", ENV),
            Map.entry("depends_on", NEEDS),
            Map.entry("dependsOn", NEEDS),
            Map.entry("dependencies", NEEDS),
            Map.entry("commands", new Said("write each command as sh '…'",
                    new YamlHint("write the commands as sh: %s", Takes.TEXTS, "['…', '…']"))));

    /** GitLab's {@code artifacts: when:} values as GitLab spells them, with Stoker's words for them. */
    private static final Map<String, String> GITLAB_ARTIFACTS_WHEN = Map.of("on_success", "on-success",
            "on_failure", "on-failure");

    private ForeignWords() {
    }

    /** Stoker's way to say an {@code artifacts when:} value written GitLab's way ({@code on_failure}), if it is one. */
    public static Optional<String> artifactsWhen(String written) {
        return Optional.ofNullable(GITLAB_ARTIFACTS_WHEN.get(written))
                .map(word -> "GitLab's " + written + " is written " + word + " here");
    }

    /** Stoker's way to say {@code word} in a Groovy Jobfile, if it is another tool's word. */
    public static Optional<String> groovy(String word) {
        return Optional.ofNullable(WORDS.get(word)).map(Said::groovy);
    }

    /** Stoker's way to say {@code word} in a YAML or JSON Jobfile, if it is another tool's word. */
    public static Optional<YamlHint> yaml(String word) {
        return Optional.ofNullable(WORDS.get(word)).map(Said::yaml);
    }
}
