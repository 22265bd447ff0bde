/**
 * Preparing a run the same way wherever it starts (the server's dispatcher, {@code stoker run}, a local trigger
 * step): {@link io.stoker.engine.start.RunStarter} resolves its parameters, fetches the secrets its job declares,
 * fills a fresh workspace and hands the engine a {@link io.stoker.engine.run.RunRequest}, with the tasks a partial
 * rerun takes over. Where secrets and files come from are ports ({@link io.stoker.engine.start.SecretSource},
 * {@link io.stoker.engine.start.WorkspaceSource}); the server backs them with its secret store and git, the CLI
 * with a secrets file and a directory copy.
 */
package io.stoker.engine.start;
