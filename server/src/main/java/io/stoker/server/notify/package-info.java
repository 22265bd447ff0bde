/**
 * Notifications: a Jobfile's {@code notify { … }} blocks turned into mail (SMTP), ntfy and Slack-compatible messages
 * about a run, queued in the outbox so that a dead receiver never slows a build and every attempt is listed.
 */
package io.stoker.server.notify;
