package io.stoker.dsl.groovy.sandbox;

/** A DSL word's name as an author writes it, for messages (see {@link DslWord#NOTIFY}). */
final class WrittenNames {
    private WrittenNames() {
    }

    static String of(String javaName) {
        if (DslWord.NOTIFY.equals(javaName)) return "notify";
        return DslWord.RUN.equals(javaName) ? "run" : javaName;
    }
}
