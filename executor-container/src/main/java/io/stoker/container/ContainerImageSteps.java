package io.stoker.container;

import io.stoker.engine.image.ImageStepRequest;
import io.stoker.engine.image.ImageStepResult;
import io.stoker.engine.image.ImageSteps;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The engine's image-step port: {@code buildImage} through {@link ImageBuilder} with the host's engine,
 * {@code publishImage} through {@link ImagePublisher}, which needs none. Without an engine a build fails with one
 * sentence naming what to install. An interrupt (a cancel, a time limit) kills the engine's process.
 */
public final class ContainerImageSteps implements ImageSteps {
    /** The one sentence a buildImage step gets on a host without an engine. */
    public static final String NO_ENGINE = "buildImage needs a container engine on the server: install Podman"
            + " (Debian/Ubuntu: apt-get install podman) or Docker (publishImage needs none)";

    private final ImageBuilder builder;
    private final ImagePublisher publisher;

    /**
     * @param insecureRegistries registry hosts reached over plain HTTP besides loopback ones
     * @param cacheDir           Jib's layer cache
     * @param limit              how long one build or push may take
     */
    public ContainerImageSteps(Optional<ContainerEngine> engine, Set<String> insecureRegistries, Path cacheDir, Duration limit) {
        this.builder = engine.map(e -> new ImageBuilder(e, insecureRegistries, limit)).orElse(null);
        this.publisher = new ImagePublisher(insecureRegistries, cacheDir);
    }

    @Override
    public ImageStepResult run(ImageStepRequest request, Consumer<String> log) throws InterruptedException {
        try {
            String digest = switch (request) {
                case ImageStepRequest.Build b -> {
                    if (builder == null) yield null;
                    yield builder.buildAndPush(b.workspace(),
                            new ImageBuilder.Request(b.context(), b.file(), b.push(), b.credentials()), log);
                }
                case ImageStepRequest.Publish p -> publisher.publish(p.workspace(), new ImagePublisher.Request(p.from(),
                        p.base(), p.entrypoint(), p.push(), p.credentials(), sameRegistry(p) ? p.credentials() : null), log);
            };
            return digest == null ? new ImageStepResult.Failed(NO_ENGINE) : new ImageStepResult.Pushed(request.push(), digest);
        } catch (ImageBuildFailed e) {
            return new ImageStepResult.Failed(e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) throw new InterruptedException(e.getMessage());
            return new ImageStepResult.Failed(RegistryAuth.mask("image step failed: " + e.getMessage(), request.credentials()));
        }
    }

    /** A base on the registry pushed to is pulled with the same login. */
    private static boolean sameRegistry(ImageStepRequest.Publish p) {
        ImageReference base = ImageReference.parse(p.base());
        ImageReference push = ImageReference.parse(p.push());
        return base != null && push != null && base.registry().equals(push.registry());
    }
}
