/**
 * Run logs as records on Kafka topics, through the official {@code kafka-clients} producer: key = run key (so a run's
 * records share a partition and keep their order), one record per batch of lines, idempotent with {@code acks=all}.
 */
package io.stoker.server.logstream.kafka;
