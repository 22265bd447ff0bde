/**
 * The HashiCorp Vault secret provider: KV v2 reads over HTTP with token or AppRole authentication, configured from
 * {@code STOKER_VAULT_*} variables.
 */
package io.stoker.server.secret.vault;
