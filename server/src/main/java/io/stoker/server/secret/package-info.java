/**
 * Secrets at rest and at run start: the {@link io.stoker.server.secret.MasterKey} kept outside the database, the
 * AES-GCM {@link io.stoker.server.secret.SecretBox} every stored secret, agent key and git credential goes through,
 * the {@link io.stoker.server.secret.SecretStore} of named global and project secrets, and the
 * {@link io.stoker.server.secret.SecretResolver} that gives a run the ones its project may read (stored or in Vault).
 */
package io.stoker.server.secret;
