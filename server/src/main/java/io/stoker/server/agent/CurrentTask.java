package io.stoker.server.agent;

/** An attempt holding one of an agent's executor slots. */
public record CurrentTask(String run, String task) {
}
