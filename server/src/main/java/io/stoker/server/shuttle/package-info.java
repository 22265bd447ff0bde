/**
 * The Build-Shuttle-compatible API ({@code /shuttle/:app_id/:build_id}): a build fetched from an archive or git URL,
 * run as a run of the project named after the app, with its status and log readable under the caller's build id.
 */
package io.stoker.server.shuttle;
