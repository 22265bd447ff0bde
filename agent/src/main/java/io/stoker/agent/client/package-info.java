/**
 * The server's end of the agent protocol, whatever carries it: {@link io.stoker.agent.client.AgentClient} holds the
 * tasks started on one agent and re-attaches them to each new connection; {@link io.stoker.agent.client.RemoteTask}
 * is one of them, with its streams.
 */
package io.stoker.agent.client;
