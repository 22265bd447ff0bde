/**
 * Streaming a run's log out as it is produced: the combined log spooled on disk ({@link
 * io.stoker.server.logstream.CombinedLog}), each receiver's acknowledged position in the database ({@code
 * log_streams}), and the senders: a long-lived chunked HTTP POST per run, or records on a Kafka topic
 * ({@link io.stoker.server.logstream.kafka}).
 */
package io.stoker.server.logstream;
