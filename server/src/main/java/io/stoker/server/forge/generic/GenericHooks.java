package io.stoker.server.forge.generic;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.stoker.model.Job;
import io.stoker.model.Parameter;
import io.stoker.model.Triggers;
import io.stoker.server.Problem;
import io.stoker.server.Refused;
import io.stoker.server.auth.Authenticator;
import io.stoker.server.forge.DeliveryReply;
import io.stoker.server.forge.DeliveryReply.Outcome;
import io.stoker.server.forge.DeliveryReply.ProjectOutcome;
import io.stoker.server.forge.DeliveryReply.RunLink;
import io.stoker.server.forge.PushHooks.HookReply;
import io.stoker.server.forge.Secrets;
import io.stoker.server.project.BuildSource;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunService;
import io.stoker.server.secret.SecretResolutionException;
import io.stoker.server.secret.SecretResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generic webhooks, for whatever is not a git host (an artifact registry, a chat bot, a cloud event): a job with
 * {@code triggers { webhook token: 'HOOK_TOKEN', params: [TAG: '$.push_data.tag'] }} starts when
 * {@code POST /api/v1/hooks/generic/{project}/{job}} carries the value of secret {@code HOOK_TOKEN} as bearer token
 * (compared in constant time); each param is read from the JSON body by its JSONPath, and a path the body lacks
 * leaves the parameter's default, or is a 400 naming it when the parameter has none. The endpoint needs no user:
 * the token is the credential, so unknown projects, jobs without the trigger and wrong tokens look alike (404/401).
 */
public final class GenericHooks {
    private static final Logger LOG = LoggerFactory.getLogger(GenericHooks.class);
    private static final Configuration JSON = Configuration.builder().jsonProvider(new JacksonJsonProvider())
            .mappingProvider(new JacksonMappingProvider()).build();

    private final ProjectService projects;
    private final RunService runs;
    private final SecretResolver secrets;

    public GenericHooks(ProjectService projects, RunService runs, SecretResolver secrets) {
        this.projects = projects;
        this.runs = runs;
        this.secrets = secrets;
    }

    /**
     * Starts a run of {@code project}/{@code job} from a generic webhook request, whose token is its bearer token or,
     * for a sender that cannot set a header (Docker Hub, many SaaS hooks), its {@code ?token=} (as Jenkins' generic
     * webhook trigger takes it). Blocking.
     */
    public HookReply trigger(String project, String jobName, String authorization, String queryToken, byte[] body)
            throws SQLException {
        Job stored;
        try {
            stored = projects.job(project, jobName).job();
        } catch (Refused.NotFound e) {
            stored = null;
        }
        if (stored == null || stored.triggers().webhook().isEmpty()) {
            throw Problem.notFound("no job '" + project + "/" + jobName + "' with a webhook trigger");
        }
        String bearer = Authenticator.bearer(authorization);
        if (bearer != null && queryToken != null) {
            throw Problem.badRequest("the webhook's token is given twice, as a bearer token and as ?token=: send one",
                    "field: token");
        }
        String token = bearer != null ? bearer : queryToken == null || queryToken.isEmpty() ? null : queryToken;
        if (token == null) {
            throw new Problem(401, "unauthorized", "send the webhook's token as 'Authorization: Bearer <token>' (or, "
                    + "from a sender that cannot set a header, as ?token=<token>)", List.of());
        }
        Triggers.Webhook hook = matching(project, stored.triggers().webhook(), token).orElseThrow(() ->
                new Problem(401, "unauthorized", "the " + (bearer != null ? "bearer token" : "?token=")
                        + " does not match the webhook's token", List.of()));
        BuildSource source = projects.source(project, jobName, null);
        Map<String, String> parameters = parameters(hook, source.job(), body);
        Map<String, Object> metadata = Map.of("webhook", Map.of("params", List.copyOf(parameters.keySet())));
        RunService.Queued q = runs.start(project, source.job(), source.gitUrl(), source.commit(), source.branch(),
                parameters, metadata, "webhook");
        LOG.info("generic webhook started run {} of {}/{}", q.key(), project, jobName);
        RunLink run = RunLink.of(q.key(), q.number(), project, jobName);
        return new HookReply(202, new DeliveryReply("generic", "webhook", null, null, "1 run started",
                List.of(new ProjectOutcome(project, null, source.commit(), Outcome.STARTED, null, List.of(run), null,
                        null)), List.of(run), null));
    }

    private Optional<Triggers.Webhook> matching(String project, List<Triggers.Webhook> hooks, String token) {
        for (Triggers.Webhook hook : hooks) {
            try {
                Optional<String> expected = secrets.resolve(project, hook.token());
                if (expected.isEmpty()) {
                    LOG.warn("{}: the webhook token names secret '{}', which the project cannot read", project,
                            hook.token());
                } else if (Secrets.tokensEqual(expected.get(), token)) {
                    return Optional.of(hook);
                }
            } catch (SecretResolutionException e) {
                LOG.warn("{}: secret '{}' of the webhook cannot be read: {}", project, hook.token(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Each param read by its JSONPath; a missing one keeps the job's default or is a 400. */
    static Map<String, String> parameters(Triggers.Webhook hook, Job job, byte[] body) {
        String text = body == null || body.length == 0 ? "{}" : new String(body, StandardCharsets.UTF_8);
        DocumentContext document;
        try {
            document = JsonPath.using(JSON).parse(text);
        } catch (InvalidJsonException e) {
            throw Problem.badRequest("the body is not valid JSON");
        } catch (IllegalArgumentException e) { // JsonPath's word for a document that is JSON null
            throw Problem.badRequest("the body is JSON null: send a JSON document (or no body)");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var param : hook.params().entrySet()) {
            Object value;
            try {
                value = document.read(param.getValue());
            } catch (PathNotFoundException e) {
                value = null;
            } catch (InvalidPathException e) {
                throw Problem.badRequest("params." + param.getKey() + ": '" + param.getValue()
                        + "' is not a JSONPath the server can read: " + e.getMessage());
            }
            if (value == null) {
                boolean hasDefault = job.parameters().stream().filter(p -> p.name().equals(param.getKey()))
                        .map(Parameter::defaultValue).anyMatch(d -> d != null && !"".equals(d));
                if (!hasDefault) {
                    throw Problem.badRequest("params." + param.getKey() + ": the body has nothing at "
                            + param.getValue() + " and the parameter has no default");
                }
                continue; // the run's parameters fill in the default
            }
            out.put(param.getKey(), value instanceof String s ? s
                    : value instanceof Number || value instanceof Boolean ? String.valueOf(value)
                    : JSON.jsonProvider().toJson(value));
        }
        return out;
    }
}
