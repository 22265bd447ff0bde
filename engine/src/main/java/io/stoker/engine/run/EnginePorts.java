package io.stoker.engine.run;

import io.stoker.engine.approval.ApprovalPort;
import io.stoker.engine.artifact.ArtifactStore;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.image.ImageSteps;
import io.stoker.engine.log.LogSink;
import io.stoker.engine.trigger.JobTrigger;
import io.stoker.engine.version.VersionStore;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every run of one engine shares: its ports, its clock, its timer thread and its task threads.
 * {@code versions} is null where there is no version store (a job's {@code publish} then publishes nothing);
 * retention keeps the {@code deployed} versions; {@code images} runs buildImage and publishImage steps; {@code caches}
 * keeps tasks' caches between runs.
 */
record EnginePorts(Executor executor, JobTrigger jobs, ApprovalPort approvals, LogSink logs, ArtifactStore artifacts, RunStore store,
                   VersionStore versions, io.stoker.engine.version.DeployedVersions deployed, ImageSteps images,
                   io.stoker.engine.cache.CacheStore caches, Clock clock, ScheduledExecutorService timer, TaskThreads threads) {
}
