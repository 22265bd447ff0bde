/**
 * Published versions of projects over the engine's {@link io.stoker.engine.version.VersionStore}: listing with a
 * filter and pages, the manifest, the archive and single files, marks (good/bad) and deletes.
 */
package io.stoker.server.version;
