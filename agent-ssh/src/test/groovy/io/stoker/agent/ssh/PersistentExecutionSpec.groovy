package io.stoker.agent.ssh

/** {@link RemoteExecutionSpec}'s features with the agent program running on the agent (persistent mode). */
class PersistentExecutionSpec extends RemoteExecutionSpec {

    @Override
    String java() {
        null
    }
}
