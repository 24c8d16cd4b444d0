package dev.govcon.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.google.protobuf.MessageLite;

import dev.govcon.proto.v1.PingRequest;
import dev.govcon.sdk.GovconClient;

/**
 * For an independent figure from h2load (Debian's nghttp2-client): the same two tenants as the
 * noop and guard scenarios (the second with its 20 controls), and the request bodies as gRPC
 * frames (a 0 byte for "not compressed", the length as 4 bytes big-endian, the message), so
 * h2load can send them as unary gRPC calls. h2load counts any HTTP 200 as a success, and gRPC
 * answers errors with 200 and a grpc-status trailer, so the printed commands check one call's
 * trailers first.
 */
final class H2loadSetup {
    private H2loadSetup() {
    }

    static void prepare(BenchContext ctx, Path dir) throws IOException {
        Files.createDirectories(dir);
        BenchContext.Tenant noop = ctx.newTenant("Bench h2load noop " + UUID.randomUUID());
        BenchContext.Tenant guard = ctx.newTenant("Bench h2load guard " + UUID.randomUUID());
        try (GovconClient client = ctx.unaryClient(guard.key())) {
            GuardControls.create(client);
            GuardControls.expect(client.runtime().checkGuard(GuardControls.request(0)));
        }
        Path ping = frame(dir.resolve("ping.bin"), PingRequest.getDefaultInstance());
        Path check = frame(dir.resolve("check.bin"), GuardControls.request(0));
        String url = ctx.baseUrl() + "/govcon.v1.RuntimeService/";
        String headers = "-H 'content-type: application/grpc' -H 'te: trailers'";
        System.out.printf("%nh2load against this server (Ctrl-C here stops it):%n%n");
        for (String[] call : new String[][] {{"Ping", ping.toString(), noop.key()},
                                             {"CheckGuard", check.toString(), guard.key()}}) {
            String auth = "-H 'authorization: Bearer " + call[2] + "'";
            System.out.printf("# %s: one call, to see grpc-status: 0 in its trailers%n", call[0]);
            System.out.printf("curl -s --http2-prior-knowledge -o /dev/null -D - %s %s --data-binary @%s %s%s%n",
                              headers, auth, call[1], url, call[0]);
            System.out.printf("# %s: %d callers on one connection, as the bench's gRPC scenarios%n", call[0],
                              ctx.callers());
            System.out.printf("h2load -D 20 --warm-up-time 10 -c 1 -m %d -t 1 %s %s -d %s %s%s%n%n", ctx.callers(),
                              headers, auth, call[1], url, call[0]);
        }
    }

    private static Path frame(Path file, MessageLite message) throws IOException {
        byte[] body = message.toByteArray();
        ByteBuffer frame = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(body.length).put(body);
        return Files.write(file, frame.array());
    }
}
