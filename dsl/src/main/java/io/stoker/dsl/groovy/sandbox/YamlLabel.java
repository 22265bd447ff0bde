package io.stoker.dsl.groovy.sandbox;

import io.stoker.dsl.ForeignWords;

/**
 * What to say of {@code word: value} written in a Groovy Jobfile as in YAML: Groovy reads {@code word:} as a label
 * and the value after it as a statement that does nothing, so the setting would be lost without a word.
 */
final class YamlLabel {

    private YamlLabel() {
    }

    /**
     * Said of a syntax error on a line that starts {@code word:} ({@code if: …}, {@code runs-on: …}), which Groovy
     * cannot read as a label.
     */
    static String syntax(String word) {
        String start = "'" + word + ":' is written as in YAML, which a Groovy Jobfile is not";
        return ForeignWords.groovy(word).map(hint -> start + " — " + hint)
                .orElse(start + (word.contains("-") ? ": its words take no ':'"
                        : ": write " + word + " … without the ':'"));
    }

    static String message(String word) {
        String start = "'" + word + ":' is not a word of a Groovy Jobfile (Groovy reads it as a label and ignores"
                + " what follows)";
        return ForeignWords.groovy(word).map(hint -> start + " — " + hint)
                .orElse(start + ": write " + word + " … without the ':'");
    }
}
