/**
 * Remote agents reached over SSH with Apache MINA SSHD: one connection per agent reused for many channels, tasks
 * running detached on the agent so a dropped connection re-attaches instead of killing the build, workspaces and
 * artifacts moved over SFTP. {@link io.stoker.agent.ssh.SshAgent} is the entry point; its
 * {@link io.stoker.agent.ssh.SshAgent#executor()} is the engine's executor port for that machine.
 */
package io.stoker.agent.ssh;
