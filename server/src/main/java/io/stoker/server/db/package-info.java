/**
 * The server's store: H2 (embedded, the default) or PostgreSQL, pooled, with Flyway migrations in
 * {@code db/migration} and {@code db/vendor/<dialect>} (see {@code db/README.md}), and the JSON used in its columns.
 */
package io.stoker.server.db;
