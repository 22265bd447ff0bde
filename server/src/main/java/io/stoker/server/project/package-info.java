/**
 * Projects (git or freestyle) and their compiled jobs. {@link io.stoker.server.project.GitProjects} is the port to
 * git; {@link io.stoker.server.project.JGitMirrors} its simple bare-mirror implementation, meant to be swapped.
 */
package io.stoker.server.project;
