/**
 * The Stoker engine: runs a compiled {@link io.stoker.model.Job} through ports, with no web, SQL, SSH or Groovy
 * types. Packages, one per feature:
 * <ul>
 * <li>{@code run}: the scheduler ({@link io.stoker.engine.run.RunEngine}), run and task states, outcomes, events,
 *     the {@link io.stoker.engine.run.RunStore} port;</li>
 * <li>{@code exec}: the {@link io.stoker.engine.exec.Executor} port; {@code exec.local} runs processes here;</li>
 * <li>{@code log}: the {@link io.stoker.engine.log.LogSink} and {@link io.stoker.engine.log.LogFeed} ports and
 *     their file implementation;</li>
 * <li>{@code artifact}: the {@link io.stoker.engine.artifact.ArtifactStore} port and its file implementation;</li>
 * <li>{@code trigger}: the {@link io.stoker.engine.trigger.JobTrigger} port that {@code trigger} steps call to start
 *     other jobs (pass it to the {@code RunEngine} constructor that takes one; without, trigger steps fail);</li>
 * <li>{@code store}: run stores (JSON files, memory); {@code params}: parameter resolution; {@code plan}: dry runs.</li>
 * </ul>
 * A local run wires them like this:
 * <pre>{@code
 * Path runs = dataDir.resolve("runs");
 * FileLogStore logs = new FileLogStore(runs);
 * try (RunEngine engine = new RunEngine(new LocalExecutor(dataDir.resolve("tmp")), logs,
 *         new FileArtifactStore(runs), new JsonFileRunStore(runs), Clock.systemUTC())) {
 *     RunHandle run = engine.start(new RunRequest(job, params, context, workspace, secrets, parallel), listener);
 *     logs.follow(context.key(), taskName, follower);   // live lines of any task, before or after it starts
 *     RunRecord result = run.await();                    // result.summary() is the CLI's --json shape
 * }
 * }</pre>
 */
package io.stoker.engine;
