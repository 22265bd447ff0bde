package io.stoker.server.run;

import io.stoker.model.Job;

import java.util.Map;

/** A run about to be queued. */
public record NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                     Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom) {
}
