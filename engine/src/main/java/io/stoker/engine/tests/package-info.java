/**
 * Test reports: the JUnit XML files a task's steps wrote ({@code testReports} in its Jobfile), read from its
 * workspace with the artifact collector's file-safety rules and parsed as hostile input (no DTD, no entities, a size
 * cap per file, a cap on the failures kept), summed up into a {@link io.stoker.engine.tests.TestSummary} that the run
 * record carries.
 */
package io.stoker.engine.tests;
