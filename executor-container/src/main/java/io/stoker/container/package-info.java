/**
 * Runs tasks that name an image in OCI containers: one long-lived container per attempt with the run's workspace
 * mounted at the same path, each attempt's steps executed in it, its services beside it in its network namespace.
 * The engine (Podman, else Docker) is driven through its command line, always with argument lists.
 */
package io.stoker.container;
