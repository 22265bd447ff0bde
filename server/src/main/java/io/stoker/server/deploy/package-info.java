/** Deployments in the server: their history in the database, the runs that do them, and the processes they leave. */
package io.stoker.server.deploy;
