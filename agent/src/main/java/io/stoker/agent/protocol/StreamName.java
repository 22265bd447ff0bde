package io.stoker.agent.protocol;

/** The three byte streams of a task. Stdin flows from the server to the agent, the other two back. */
public enum StreamName {
    STDIN, STDOUT, STDERR
}
