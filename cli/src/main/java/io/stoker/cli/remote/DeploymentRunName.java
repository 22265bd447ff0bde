package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the CLI names the run of a deployment (as the server replies it): by its number, as it names runs everywhere
 * ({@code #3}; {@code PROJECT/JOB#3} reaches it), not by a key a person cannot read. A run discarded since has no
 * number: its key stands in.
 */
final class DeploymentRunName {
    private DeploymentRunName() {
    }

    /** {@code #3}, or the run's key once the run was discarded. */
    static String of(JsonNode deployment) {
        JsonNode number = deployment.path("runNumber");
        return number.isIntegralNumber() ? "#" + number.asLong() : deployment.path("run").asText();
    }

    /**
     * {@code run #3, shop/deploy-staging}, as {@code run KEY (#3, shop/deploy-staging)} names a run elsewhere;
     * {@code run KEY} once it was discarded.
     */
    static String reference(JsonNode deployment) {
        if (!deployment.path("runNumber").isIntegralNumber()) return "run " + deployment.path("run").asText();
        return "run " + of(deployment) + ", " + deployment.path("project").asText() + "/"
                + deployment.path("job").asText();
    }
}
