/**
 * Push webhooks from GitHub, GitLab and Gitea: verify their signature or token in constant time, parse their real
 * payload formats into a {@link io.stoker.server.forge.PushEvent}, and match repository URLs and branch filters.
 * Nothing here throws on bad input: every request ends in a {@link io.stoker.server.forge.WebhookOutcome}.
 */
package io.stoker.server.forge;
