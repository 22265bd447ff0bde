/**
 * Git hosts ("forges"): one package per host ({@code forge.github}, {@code forge.gitlab}, {@code forge.gitea},
 * {@code forge.bitbucket}, and {@code forge.generic} for everything else) holding what Stoker knows of it. This
 * package holds what they share for webhooks in: the {@link io.stoker.server.forge.HookFormat} each host
 * implements, signatures checked in constant time, the replay store, repository URL and branch matching, and
 * {@link io.stoker.server.forge.PushHooks}, which answers each delivery with a
 * {@link io.stoker.server.forge.DeliveryReply} naming the outcome per project. Nothing here throws on bad input:
 * every request ends in a {@link io.stoker.server.forge.WebhookOutcome} or a 4xx.
 */
package io.stoker.server.forge;
