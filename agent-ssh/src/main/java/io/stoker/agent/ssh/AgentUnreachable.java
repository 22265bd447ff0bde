package io.stoker.agent.ssh;

import java.io.IOException;

/** The agent is blocked, or stayed unreachable past the lost timeout: waiting longer would hang the run. */
final class AgentUnreachable extends IOException {
    AgentUnreachable(String message) {
        super(message);
    }
}
