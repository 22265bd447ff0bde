/**
 * REST API v1: {@link io.stoker.server.api.ApiRouter} mounts one small route class per resource (projects and
 * jobs, runs, logs, artifacts, events) over the services; every failure becomes JSON in one failure handler.
 * The OpenAPI document is {@code src/main/resources/openapi.json}; a spec holds it to the router's routes, and
 * {@link io.stoker.server.api.QueryParameters} reads it to refuse the query parameters an operation does not declare.
 */
package io.stoker.server.api;
