/**
 * A run's end is told exactly once, even across a crash: each of the server's tellers (status webhooks,
 * notifications, commit statuses, {@code after} triggers) marks in the run's row, in the same transaction as the
 * messages it queues, that it has told the run's end ({@link io.stoker.server.endnews.EndsTold}). A run whose end
 * some teller had not told when the server stopped (a {@code kill -9} between the run's end being saved and the
 * teller's thread queueing its messages) is told at the next start, or, in a cluster, by the server that finds its
 * own server gone ({@link io.stoker.server.endnews.UntoldEnds}).
 */
package io.stoker.server.endnews;
