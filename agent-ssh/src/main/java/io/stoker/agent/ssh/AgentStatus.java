package io.stoker.agent.ssh;

/** An agent's health as the server sees it. */
public enum AgentStatus {
    /** Connected, heartbeats answered. */
    ONLINE,
    /** Not connected right now (never connected, or the connection dropped and is being retried). */
    OFFLINE,
    /** Refused to use: its host key changed or never matched its pin, or the key was rejected. Needs a person. */
    BLOCKED
}
