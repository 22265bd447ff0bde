/** Who is calling: users, roles, tokens and the checks routes make. */
package io.stoker.server.auth;
