/**
 * The PostgreSQL adapter of the server's store ({@code stoker server --db postgresql://…}): URL parsing and the
 * pooled data source. The server's repositories use portable SQL on it and on H2; the migrations that must differ
 * are in the server's {@code db/vendor/postgresql}.
 */
package io.stoker.store.postgres;
