package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.ServiceDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Container;
import io.stoker.model.HostAccess;
import io.stoker.model.Service;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code image}, {@code pull} and {@code services}: references follow the OCI grammar, the pull policy is one of
 * its three words, services have unique host names and an image, and only a task in an image has services (they
 * share its network), {@code registryCredentials} names a secret and belongs to a task in an image. Also builds a task's {@link Container} with the job's defaults applied.
 */
final class ContainerChecks {
    /** A service's name is a host name the task resolves: one DNS label. */
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private ContainerChecks() {
    }

    static void job(JobDraft job, Problems problems) {
        image(job.image, "job '" + job.name + "'", problems);
        pull(job.pull, problems);
    }

    static void task(JobDraft job, TaskDraft task, Problems problems) {
        String owner = "task '" + task.name + "'";
        image(task.image, owner, problems);
        pull(task.pull, problems);
        Located<String> login = task.registryCredentials != null ? task.registryCredentials : job.registryCredentials;
        if (login != null && login.value() != null && !NameChecks.IDENTIFIER.matcher(login.value()).matches()) {
            problems.error(login.pos(), "registryCredentials '" + login.value() + "' must name a secret: letters, digits"
                    + " and '_', not starting with a digit");
        }
        if (task.registryCredentials != null && image(job, task) == null) {
            problems.error(task.registryCredentials.pos(), "registryCredentials of " + owner + " are for pulling its"
                    + " image, but it runs on the host" + hostFix(task));
        }
        hostAccess(job, task, owner, problems);
        if (!task.services.isEmpty() && image(job, task) == null) {
            problems.error(task.services.getFirst().pos(), "services of " + owner + " need the task to run in an image "
                    + "(they share its network)" + hostFix(task));
        }
        Set<String> names = new HashSet<>();
        for (ServiceDraft s : task.services) {
            if (s.name() == null || !HOST_LABEL.matcher(s.name()).matches()) {
                problems.error(s.pos(), "service name '" + s.name() + "' must be a host name: lowercase letters, digits"
                        + " and '-', at most 63");
            } else if (!names.add(s.name())) {
                problems.error(s.pos(), "duplicate service '" + s.name() + "' in " + owner);
            }
            if (s.image() == null) {
                problems.error(s.pos(), "service '" + s.name() + "' needs an image: " + s.name() + " image: '…'");
            } else {
                image(new Located<>(s.image(), s.pos()), "service '" + s.name() + "'", problems);
            }
            s.env().keySet().forEach(name -> {
                if (!NameChecks.IDENTIFIER.matcher(name).matches()) {
                    problems.error(s.pos(), "environment variable name '" + name + "' of service '" + s.name()
                            + "' must start with a letter or '_' and hold only letters, digits and '_'");
                }
            });
        }
    }

    /** {@code privileged}, {@code network}, {@code mount}: only for a task in an image; 'host' only; absolute paths. */
    private static void hostAccess(JobDraft job, TaskDraft task, String owner, Problems problems) {
        List<Located<?>> asked = new java.util.ArrayList<>();
        if (task.privileged != null) asked.add(task.privileged);
        if (task.network != null) asked.add(task.network);
        asked.addAll(task.mounts);
        if (!asked.isEmpty() && image(job, task) == null) {
            problems.error(asked.getFirst().pos(), "privileged, network and mount of " + owner + " are container options,"
                    + " but it runs on the host" + hostFix(task));
        }
        if (task.network != null && !"host".equals(task.network.value())) {
            problems.error(task.network.pos(), "network takes only 'host' (tasks otherwise get a network of their own),"
                    + " not '" + task.network.value() + "'");
        }
        for (Located<String> m : task.mounts) {
            String p = m.value();
            if (p == null || !p.startsWith("/") || p.contains(":") || p.contains(",") || p.contains("/../")
                    || p.endsWith("/..") || p.equals("/")) {
                problems.error(m.pos(), "mount '" + p + "' must be an absolute host directory other than /, without"
                        + " ':', ',' or '..'");
            }
        }
    }

    /** The task's container with the job's defaults, or null when it runs on the host. */
    static Container container(JobDraft job, TaskDraft task) {
        String image = image(job, task);
        if (image == null) return null;
        Located<String> pull = task.pull != null ? task.pull : job.pull;
        List<Service> services = task.services.stream()
                .map(s -> new Service(s.name(), s.image(), s.env(), s.command(), s.ready())).toList();
        Located<String> login = task.registryCredentials != null ? task.registryCredentials : job.registryCredentials;
        HostAccess host = new HostAccess(task.privileged != null && Boolean.TRUE.equals(task.privileged.value()),
                task.network != null && "host".equals(task.network.value()),
                task.mounts.stream().map(Located::value).toList());
        return new Container(image, pull == null ? null : Container.PullPolicy.ofWord(pull.value()), services,
                login == null ? null : login.value(), host);
    }

    /** How to give a host task an image: the task's own {@code image null} is what keeps it on the host. */
    private static String hostFix(TaskDraft task) {
        return task.image != null ? ": remove its image null, which keeps it on the host"
                : ": add image '…' to the task or its job";
    }

    private static String image(JobDraft job, TaskDraft task) {
        Located<String> image = task.image != null ? task.image : job.image;
        return image == null ? null : image.value();
    }

    private static void image(Located<String> image, String owner, Problems problems) {
        if (image == null || image.value() == null) return;
        ImageReference.fixedProblem(image.value()).ifPresent(why -> problems.error(image.pos(), "image '" + image.value()
                + "' of " + owner + " is not a valid image reference: " + why));
    }

    private static void pull(Located<String> pull, Problems problems) {
        if (pull == null || pull.value() == null) return;
        if (Container.PullPolicy.ofWord(pull.value()) == null) {
            problems.error(pull.pos(), "pull takes 'always', 'if-not-present' or 'never', not '" + pull.value() + "'");
        }
    }
}
