/**
 * Triggers: Jenkins-style cron specs with {@code H} ({@link io.stoker.dsl.cron.CronSchedule}, shared with {@code stoker validate}), a clock that
 * fires registered schedules ({@link io.stoker.server.trigger.TriggerClock}), SCM polling that reports new commits
 * per branch ({@link io.stoker.server.trigger.Poller}), {@link io.stoker.server.trigger.Schedules}, which turns cron
 * and poll firings (keyed by {@link io.stoker.server.trigger.ScheduleKey}) into queued runs, and
 * {@link io.stoker.server.trigger.UpstreamTriggers}, which starts the jobs that run after a succeeded one (linked by
 * an {@link io.stoker.server.trigger.UpstreamLink}); what must survive a restart (last tick, poll heads) is in
 * {@link io.stoker.server.trigger.TriggerState}. Push webhooks are {@link io.stoker.server.forge.PushHooks}. Jobfile {@code trigger} steps
 * queue their runs through {@link io.stoker.server.trigger.ServerJobTrigger}, the engine's port.
 */
package io.stoker.server.trigger;
