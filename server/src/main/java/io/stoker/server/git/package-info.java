/**
 * Bare git mirrors kept with JGit: one per project, synced from any URL JGit can fetch (https, ssh with the
 * server's own key and a strict known_hosts, file), from which the server
 * resolves refs, reads the Jobfile at a commit and exports a commit's tree as a run's workspace.
 */
package io.stoker.server.git;
