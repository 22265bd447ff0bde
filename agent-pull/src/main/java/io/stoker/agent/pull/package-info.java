/**
 * Pull agents: build machines that connect out to the server over HTTP(S) and a WebSocket, so they need no
 * inbound port. Both ends speak the {@link io.stoker.agent.protocol agent protocol}, one frame per binary message:
 * {@link io.stoker.agent.pull.PullAgentProgram} runs on the build machine around the agent program's
 * {@link io.stoker.agent.program.AgentHost}; {@link io.stoker.agent.pull.PullAgent} is the server's side, an
 * executor over the protocol's {@link io.stoker.agent.client.AgentClient}.
 */
package io.stoker.agent.pull;
