/**
 * Agent label expressions ({@code agent 'linux && tool:docker'}): parsed and checked by the validator, evaluated by
 * the server against each agent's labels when it routes a task.
 */
package io.stoker.dsl.label;
