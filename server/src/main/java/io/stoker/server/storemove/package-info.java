/**
 * Moving a data directory's embedded H2 store into an empty PostgreSQL database ({@code stoker store move}): the
 * same schema on both sides (both migrated by this release), every table's rows copied in foreign-key order in one
 * PostgreSQL transaction, identity sequences set past the copied keys, the counts compared before the commit, then
 * the data directory noted as PostgreSQL's and the H2 file set aside.
 */
package io.stoker.server.storemove;
