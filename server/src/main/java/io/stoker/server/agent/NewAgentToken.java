package io.stoker.server.agent;

/** A just-created agent token: the only time its secret value is shown. */
public record NewAgentToken(AgentToken info, String token) {
}
