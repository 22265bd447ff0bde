/**
 * A run's start and end are told exactly once, even across a crash: each of the server's tellers (status webhooks,
 * notifications, commit statuses, and for the end {@code after} triggers) marks in the run's row, in the same
 * transaction as the messages it queues, that it has told the run's start ({@link io.stoker.server.endnews.StartsTold},
 * cleared by the transaction that starts the run) or end ({@link io.stoker.server.endnews.EndsTold}). What some teller
 * had not told when the server stopped (a {@code kill -9} between the run's start or end being saved and the teller's
 * thread queueing its messages) is told at the next start, or, in a cluster, by the server that finds its own server
 * gone ({@link io.stoker.server.endnews.UntoldNews}): a start before the end, and a start not at all to a teller that
 * told the end already.
 */
package io.stoker.server.endnews;
