/**
 * Deployments: a published version of a project put on a {@code deploy} target of its Jobfile, as a run of its own
 * (a synthetic one-task job the engine runs like any other), watched, marked good or bad, and rolled back to the last
 * good version of the target when it fails. History and runs go through ports the server implements.
 */
package io.stoker.engine.deploy;
