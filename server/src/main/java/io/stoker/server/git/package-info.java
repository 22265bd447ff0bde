/**
 * Bare git mirrors kept with JGit: one per project, synced from any URL JGit can fetch, from which the server
 * resolves refs, reads the Jobfile at a commit and exports a commit's tree as a run's workspace.
 */
package io.stoker.server.git;
