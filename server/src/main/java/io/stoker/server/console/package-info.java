/**
 * What the web pages need beyond the plain resources: a log read by line windows and searched on the server,
 * job health from recent runs, executor status, Jobfile validation, badges of public projects, saved views.
 * Every piece is an ordinary API v1 resource, so scripts can do what the pages do.
 */
package io.stoker.server.console;
