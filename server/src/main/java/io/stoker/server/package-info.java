/**
 * The Stoker server: an adapter over the engine's ports (H2 run store, file logs and artifacts, local executor)
 * with a Vert.x REST API, a persistent queue, Jobfiles read from git mirrors, webhooks and triggers.
 */
package io.stoker.server;
