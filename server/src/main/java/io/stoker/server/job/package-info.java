/** Views of compiled jobs shared by the API and the CLI. */
package io.stoker.server.job;
