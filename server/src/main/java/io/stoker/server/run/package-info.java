/**
 * Runs: the persistent queue (the runs table), the {@link io.stoker.server.run.RunDispatcher} that starts queued
 * runs on the engine as slots free up, the engine's run store on H2, cancels, reruns and restart recovery.
 */
package io.stoker.server.run;
