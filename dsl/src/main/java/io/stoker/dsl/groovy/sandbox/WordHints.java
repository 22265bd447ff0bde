package io.stoker.dsl.groovy.sandbox;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.ForeignWords;

import java.util.Set;

/** What to add to "unknown word", where a newcomer most often writes another tool's words. */
final class WordHints {

    /** The shape of a Jobfile, in one line. */
    static final String SHAPE = "a Jobfile holds job('name') { task('name') { sh '…' } }";
    /** Top-level words of a Jenkins pipeline (declarative and scripted). */
    private static final Set<String> JENKINS = Set.of("pipeline", "node", "stage", "stages", "steps", "agent");

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
        if (word.equals("job")) return " — jobs do not nest: write each job('…') { … } at the top level of the Jobfile";
        return ForeignWords.groovy(word).map(hint -> " — " + hint).orElseGet(() -> DidYouMean.suffix(word, words));
    }
}
