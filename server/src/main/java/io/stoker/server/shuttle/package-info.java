/**
 * The Build-Shuttle-compatible API ({@code /shuttle/:app_id/:build_id}): a build fetched from an archive, a git URL or a
 * {@code docker://} image (whose result a {@code docker://} destination receives),
 * run as a run of the project named after the app, with its status and log readable under the caller's build id.
 */
package io.stoker.server.shuttle;
