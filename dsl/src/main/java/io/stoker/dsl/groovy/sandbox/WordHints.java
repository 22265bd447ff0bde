package io.stoker.dsl.groovy.sandbox;

import io.stoker.dsl.DidYouMean;

import java.util.Map;
import java.util.Set;

/** What to add to "unknown word", where a newcomer most often writes another tool's words. */
final class WordHints {

    /** The shape of a Jobfile, in one line. */
    static final String SHAPE = "a Jobfile holds job('name') { task('name') { sh '…' } }";
    /** Top-level words of a Jenkins pipeline (declarative and scripted). */
    private static final Set<String> JENKINS = Set.of("pipeline", "node", "stage", "stages", "steps", "agent");
    /**
     * Words of Jenkins, GitLab CI and Woodpecker written inside a job or task, with Stoker's way to say them: the
     * closest Stoker word by spelling would mislead there ({@code stage} → "did you mean 'image'?").
     */
    private static final Map<String, String> FOREIGN = Map.ofEntries(
            Map.entry("stage", "a stage is a task here: task('name') { sh '…' }"),
            Map.entry("stages", "tasks need no stages block: write task('name') { sh '…' } in the job"),
            Map.entry("steps", "a task's steps are its sh lines: write sh '…' in the task itself"),
            Map.entry("script", "a script is a step: write sh '…'"),
            Map.entry("parallel", "tasks run in parallel unless one needs another: write task('a') { … } and "
                    + "task('b') { … } without needs"),
            Map.entry("post", "for what runs after the others, write a task that needs them with when 'always()' "
                    + "(or 'failure()')"),
            Map.entry("environment", "write env NAME: 'value'"),
            Map.entry("variables", "write env NAME: 'value'"),
            Map.entry("depends_on", "write needs 'task'"),
            Map.entry("dependsOn", "write needs 'task'"),
            Map.entry("dependencies", "write needs 'task'"),
            Map.entry("commands", "write each command as sh '…'"));

    private WordHints() {
    }

    /** A suggestion for an unknown word written at the top of the file: the closest word, or the Jobfile's shape. */
    static String topLevel(String word, Set<String> words) {
        if (JENKINS.contains(word)) return " — this looks like a Jenkinsfile; " + SHAPE;
        String closest = DidYouMean.suffix(word, words);
        return closest.isEmpty() ? " — " + SHAPE : closest;
    }

    /** A suggestion for an unknown word inside a block: Stoker's way to say another tool's word, or the closest word. */
    static String inBlock(String word, Set<String> words) {
        String foreign = FOREIGN.get(word);
        return foreign != null ? " — " + foreign : DidYouMean.suffix(word, words);
    }
}
