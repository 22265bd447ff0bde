/** Tasks on the server's own machine: their executor and the sandbox that hides the data directory from them. */
package io.stoker.server.host;
