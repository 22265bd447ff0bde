/** The embedded H2 database (Flyway migrations in {@code db/migration}) and the JSON used in its columns. */
package io.stoker.server.db;
