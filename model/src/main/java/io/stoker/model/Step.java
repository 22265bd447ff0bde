package io.stoker.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;
import java.util.Map;

/** One step of a task. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Step.Sh.class, name = "sh"),
        @JsonSubTypes.Type(value = Step.Trigger.class, name = "trigger"),
        @JsonSubTypes.Type(value = Step.BuildImage.class, name = "buildImage"),
        @JsonSubTypes.Type(value = Step.PublishImage.class, name = "publishImage")})
public sealed interface Step {

    Pos pos();

    /**
     * A shell script. When its first line is {@code #!…} it runs with that interpreter, otherwise with
     * {@code bash -e} ({@code sh -e} where there is no bash). It may hold {@code ${{ }}} templates.
     */
    record Sh(String script, Pos pos) implements Step {
        public boolean hasShebang() {
            return script.startsWith("#!");
        }
    }

    /**
     * Starts a run of another job. With {@code waitForRun} (written {@code wait:}; {@code wait} itself cannot name a record component) the step waits for that run and fails unless it succeeded
     * (like Jenkins' {@code build job:}); without, it succeeds once the run is created.
     *
     * @param job        the job to run; the same Jobfile's jobs are checked, others are resolved by the runner
     * @param parameters name → value template, rendered when the step runs
     */
    record Trigger(String job, Map<String, String> parameters, boolean waitForRun, Pos pos) implements Step {
        public Trigger {
            parameters = Maps.ordered(parameters);
        }
    }

    /**
     * Builds a Containerfile with the host's container engine and pushes the image.
     *
     * @param context     the build context, relative to the workspace
     * @param file        the Containerfile, relative to the context
     * @param push        the image reference pushed to (a template, e.g. {@code host/org/app:${{ run.number }}})
     * @param credentials the secret holding {@code user:password} for the registry, or null
     */
    record BuildImage(String context, String file, String push, String credentials, Pos pos) implements Step {
    }

    /**
     * Puts workspace files on a base image and pushes the result without any container engine.
     *
     * @param from        a glob relative to the workspace ({@code dist/**})
     * @param base        the base image reference, or {@code scratch}
     * @param entrypoint  the image's entrypoint, empty to keep the base's
     * @param push        the image reference pushed to (a template)
     * @param credentials the secret holding {@code user:password} for the registry, or null
     */
    record PublishImage(String from, String base, List<String> entrypoint, String push, String credentials, Pos pos)
            implements Step {
        public PublishImage {
            entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        }
    }
}
