/** How the CLI and the server it starts log: library messages to stderr, quiet unless something is wrong. */
package io.stoker.cli.logging;
