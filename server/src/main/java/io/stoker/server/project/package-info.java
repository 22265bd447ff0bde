/**
 * Projects (git or freestyle) and their compiled jobs. {@link io.stoker.server.project.GitProjects} is the port to
 * git; {@link io.stoker.server.project.MirroredGitProjects} implements it on the per-project bare mirrors of
 * {@link io.stoker.server.git.GitMirrors}.
 */
package io.stoker.server.project;
