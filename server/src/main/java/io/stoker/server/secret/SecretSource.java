package io.stoker.server.secret;

/** Where a secret's value comes from: stored here (sealed) or read from Vault when a run starts. */
public sealed interface SecretSource {

    /** A value kept in the store, sealed under the master key. */
    record Value(String value) implements SecretSource {
        @Override
        public String toString() {
            return "Value[****]";
        }
    }

    /** A reference to key {@code key} of the KV v2 secret at {@code path} in Vault. */
    record VaultRef(String path, String key) implements SecretSource {
    }
}
