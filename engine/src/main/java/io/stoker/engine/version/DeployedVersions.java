package io.stoker.engine.version;

import java.util.Set;

/** Port: the versions of a project some deploy target runs now (or is being given); retention never removes them. */
@FunctionalInterface
public interface DeployedVersions {
    /** Nothing is deployed anywhere. */
    DeployedVersions NONE = project -> Set.of();

    Set<String> of(String project) throws Exception;
}
