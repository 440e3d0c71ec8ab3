package io.xwr.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.xwr.signature.ConsumerSecrets;
import io.xwr.signature.SignatureCheck;
import io.xwr.signature.SignatureVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The ceiling for the load benchmark: an HTTPS endpoint that verifies the signature over the raw body, with the
 * service's own verifier, and answers 200, storing nothing. Run as its own process:
 * {@code java -cp <test classpath> io.xwr.bench.BareEndpoint <port> <secret>}.
 */
public final class BareEndpoint {
    private BareEndpoint() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        SignatureVerifier verifier = new SignatureVerifier(ConsumerSecrets.of(List.of(args[1])));
        Vertx vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(2 * Runtime.getRuntime().availableProcessors()));
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        vertx.createHttpServer(new HttpServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(certificate.keyCertOptions())
                        .setPort(port)
                        .setHost("127.0.0.1"))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    if (request.getParam("crc_token") != null) {
                        request.response().end("{}");
                        return;
                    }
                    SignatureCheck check = verifier.verify(
                            body.getBytes(),
                            request.getHeader("x-twitter-webhooks-signature"),
                            Map.of(),
                            Instant.now());
                    request.response()
                            .setStatusCode(check instanceof SignatureCheck.Valid ? 200 : 401)
                            .end("{}");
                }))
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        System.out.println("bare endpoint listening on " + port);
    }
}
