/**
 * Secrets at rest: the {@link io.stoker.server.secret.MasterKey} kept outside the database and the AES-GCM
 * {@link io.stoker.server.secret.SecretBox} every stored secret, agent key and git credential goes through.
 */
package io.stoker.server.secret;
