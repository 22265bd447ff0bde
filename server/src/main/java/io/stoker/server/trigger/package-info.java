/**
 * Time-based triggers: Jenkins-style cron specs with {@code H} ({@link io.stoker.server.trigger.CronSchedule}), a
 * clock that fires registered schedules ({@link io.stoker.server.trigger.TriggerClock}), and SCM polling that reports
 * new commits per branch ({@link io.stoker.server.trigger.Poller}).
 */
package io.stoker.server.trigger;
