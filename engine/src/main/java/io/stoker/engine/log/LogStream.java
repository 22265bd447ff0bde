package io.stoker.engine.log;

/** Where a log line came from: the task's stdout, its stderr, or the engine itself. */
public enum LogStream {
    OUT("out"), ERR("err"), SYSTEM("system");

    private final String label;

    LogStream(String label) {
        this.label = label;
    }

    /** The word written in log files: {@code out}, {@code err} or {@code system}. */
    public String label() {
        return label;
    }

    /** The stream written as {@code label}, or null. */
    public static LogStream ofLabel(String label) {
        for (LogStream s : values()) if (s.label.equals(label)) return s;
        return null;
    }
}
