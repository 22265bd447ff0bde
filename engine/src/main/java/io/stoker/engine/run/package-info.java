/**
 * Running a job's task graph. A run's path: {@link io.stoker.engine.run.RunEngine#start} builds a
 * {@code RunExecution} (the run's lifecycle and lock: begin, cancel, job timeout, end, the one place a task changes
 * state); its {@code Scheduler} decides pipe groups once their upstream ended ({@code when}, skips, reused groups)
 * and starts them as slots free up; the {@code AttemptRunner} runs a group (attempts and retries, segments, pipes
 * with pipefail), each process a {@code ProcessAttempt} (launch from the {@code TaskEnvironment}, stream pumps,
 * time limit, SIGPIPE, outputs, artifacts through {@code RunArtifacts}) and each trigger step through
 * {@code TriggerSteps}; every change goes to the {@code RunSaver}, which saves it through the
 * {@link io.stoker.engine.run.RunStore} and only then publishes its {@link io.stoker.engine.run.EngineEvent} to the
 * {@link io.stoker.engine.run.RunListener}. Tasks of a {@link io.stoker.engine.run.RunRequest#reused()} map end
 * as recorded in an earlier run instead of running.
 */
package io.stoker.engine.run;
