/**
 * The agent program: runs on a build machine, speaks the {@link io.stoker.agent.protocol agent protocol} and runs
 * tasks with the engine's local executor. {@link io.stoker.agent.program.AgentMain} is its entry point.
 */
package io.stoker.agent.program;
