package io.stoker.engine.exec;

/**
 * The task log's words for a process a task left running that its end stopped ({@link RunningTask#strays()}): the
 * same on the server's machine, in {@code stoker run} and on an SSH agent in either mode.
 */
public final class Strays {
    private Strays() {
    }

    /** Why a process that had left the task's group, carrying the attempt's mark, was stopped at the task's end. */
    public static final String LEFT_RUNNING = "it had left the task's process group and still ran when the task ended;"
            + " start a process meant to outlive its task with env -u STOKER_OUTPUT";

    /** One sentence: which process was stopped, and why. */
    public static String stopped(long pid, String name, String why) {
        return "stopped PID " + pid + " (" + name + "), started by this task: " + why;
    }
}
