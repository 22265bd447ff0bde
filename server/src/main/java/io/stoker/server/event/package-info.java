/** Run, task, agent and deployment state changes fanned out to the {@code /events} streams. */
package io.stoker.server.event;
