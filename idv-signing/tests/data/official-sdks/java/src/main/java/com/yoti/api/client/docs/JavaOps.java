// Runs the official Java SDK's own DocScanService methods for the IBV instruction operations
// (the Java SDK is the only one that has them), with the nonce and timestamp pinned, and
// captures each request at a server on 127.0.0.1: method, path and query, body, Content-Type
// and X-Yoti-Auth-Digest. In the SDK's package because DocScanService is package-private.
package com.yoti.api.client.docs;

import java.io.FileReader;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.yoti.api.client.docs.session.instructions.ContactProfile;
import com.yoti.api.client.docs.session.instructions.Instructions;
import com.yoti.api.client.docs.session.instructions.branch.Location;
import com.yoti.api.client.docs.session.instructions.branch.UkPostOfficeBranch;
import com.yoti.api.client.docs.session.instructions.document.DocumentProposal;
import com.yoti.api.client.docs.session.instructions.document.SelectedIdDocument;
import com.yoti.api.client.spi.remote.call.factory.DocsSignedRequestStrategy;
import org.apache.http.NameValuePair;
import org.apache.http.message.BasicNameValuePair;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

public class JavaOps {
    static final String SDK = "a1b2c3d4-e5f6-7890-abcd-ef0123456789";
    static final String S = "8f6a9b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b";
    static final String REQUIREMENT = "6d5e4f30-2a1b-4c0d-8e9f-a0b1c2d3e4f5";

    interface Call { void run() throws Exception; }

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider()); // as DocScanClient does
        KeyPair keyPair;
        try (PEMParser parser = new PEMParser(new FileReader(args[0]))) {
            keyPair = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject());
        }
        // The SDK's own signing strategy, with its random nonce and clock pinned.
        DocsSignedRequestStrategy auth = new DocsSignedRequestStrategy(keyPair, SDK) {
            @Override
            public List<NameValuePair> createQueryParams() {
                return Arrays.asList(new BasicNameValuePair("sdkId", SDK),
                        new BasicNameValuePair("nonce", "5f0c4a3e-7d1b-4c2a-9e8f-0123456789ab"),
                        new BasicNameValuePair("timestamp", "1700000000123"));
            }
        };

        List<Map<String, Object>> captured = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("method", exchange.getRequestMethod());
            request.put("url", exchange.getRequestURI().toString());
            request.put("body", body.length == 0 ? null : new String(body, "UTF-8"));
            request.put("body_base64", body.length == 0 ? null : Base64.getEncoder().encodeToString(body));
            request.put("content_type", exchange.getRequestHeaders().getFirst("Content-Type"));
            request.put("digest", exchange.getRequestHeaders().getFirst("X-Yoti-Auth-Digest"));
            captured.add(request);
            byte[] answer = exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestURI().getPath().endsWith("/pdf") ? "{}".getBytes() : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.length == 0 ? 204 : 200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        System.setProperty("yoti.docs.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/idverify/v1");
        DocScanService service = DocScanService.newInstance();

        Instructions instructions = Instructions.builder()
                .withContactProfile(ContactProfile.builder()
                        .withFirstName("Ada").withLastName("Lovelace").withEmail("ada@example.com").build())
                .withDocumentProposal(DocumentProposal.builder()
                        .withRequirementId(REQUIREMENT)
                        .withSelectedDocument(SelectedIdDocument.builder()
                                .withCountryCode("GBR").withDocumentType("PASSPORT").build())
                        .build())
                .withBranch(UkPostOfficeBranch.builder()
                        .withFadCode("0012345").withName("Camden Town Post Office")
                        .withAddress("1 Camden High Street, London").withPostCode("NW1 7JE")
                        .withLocation(Location.builder().withLatitude(51.5364).withLongitude(-0.1426).build())
                        .build())
                .build();

        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("putIbvInstructions", () -> service.putIbvInstructions(auth, S, instructions));
        calls.put("getIbvInstructions", () -> service.getIbvInstructions(auth, S));
        calls.put("getIbvInstructionsContactProfile", () -> service.fetchInstructionsContactProfile(auth, S));
        calls.put("getIbvInstructionsPdf", () -> service.getIbvInstructionsPdf(auth, S));
        calls.put("triggerIbvEmailNotification", () -> service.triggerIbvEmailNotification(auth, S));

        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (Map.Entry<String, Call> call : calls.entrySet()) {
                call.getValue().run();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", call.getKey());
                entry.putAll(captured.remove(captured.size() - 1));
                out.add(entry);
            }
        } finally {
            server.stop(0);
        }
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
}
