/**
 * Triggers: Jenkins-style cron specs with {@code H} ({@link io.stoker.dsl.cron.CronSchedule}, shared with {@code stoker validate}), a clock that
 * fires registered schedules ({@link io.stoker.server.trigger.TriggerClock}), SCM polling that reports new commits
 * per branch ({@link io.stoker.server.trigger.Poller}), and {@link io.stoker.server.trigger.JobTriggers}, which
 * turns pushes, cron and poll firings and succeeded upstream runs into queued runs, with what must survive a
 * restart (last tick, poll heads) in {@link io.stoker.server.trigger.TriggerState}. Jobfile {@code trigger} steps
 * queue their runs through {@link io.stoker.server.trigger.ServerJobTrigger}, the engine's port.
 */
package io.stoker.server.trigger;
