/**
 * Agents on the server: the registry (keys sealed with the master key), one {@link io.stoker.agent.ssh.SshAgent} per
 * agent in the {@code AgentPool}, and the {@code AgentRouter} executor that sends each attempt to the server itself or
 * to an agent whose labels match its {@code agent} expression.
 */
package io.stoker.server.agent;
