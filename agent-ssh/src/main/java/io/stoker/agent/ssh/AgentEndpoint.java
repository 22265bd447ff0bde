package io.stoker.agent.ssh;

/**
 * Where and how to reach one agent.
 *
 * @param name          the agent's name, unique on the server
 * @param host          host name or address
 * @param port          SSH port
 * @param user          login user
 * @param privateKeyPem the client's private key (OpenSSH or PEM text), decrypted only in memory
 * @param hostKey       how the server's host key is checked
 * @param workDir       the directory on the agent under which workspaces live (absolute, or relative to the
 *                      login's home)
 */
public record AgentEndpoint(String name, String host, int port, String user, String privateKeyPem,
                            HostKeyCheck hostKey, String workDir) {

    @Override
    public String toString() { // never print the key
        return "AgentEndpoint[" + name + " " + user + "@" + host + ":" + port + " " + workDir + "]";
    }
}
