/**
 * HTTPS: the server's certificate chain and private key, read from PEM files and checked (readable, parseable, the
 * key belongs to the certificate) before the server listens, so a wrong file is a start error, not a failed
 * handshake later.
 */
package io.stoker.server.tls;
