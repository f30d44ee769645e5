package io.smdrelease.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The CDK CLI pinned in cdk/package-lock.json, run against the emulator with the stack's own app. */
final class CdkCli {
    private CdkCli() {}

    /**
     * Bootstraps the emulator's account and deploys the stack with {@code context} (each as {@code -c key=value}, e.g.
     * the signing keys); returns the stack's outputs.
     */
    static Map<String, String> deploy(MiniStack ministack, Map<String, String> context)
            throws IOException, InterruptedException {
        Path cdkDir = Trees.repoDir().resolve("cdk");
        Path cli = cdkDir.resolve("node_modules/.bin/cdk");
        if (!Files.isExecutable(cli)) {
            run(cdkDir, Map.of(), List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        Path out = Files.createTempDirectory("cdk-e2e-out");
        Path outputs = out.resolve("outputs.json");
        Map<String, String> env = Map.of(
                "AWS_ENDPOINT_URL",
                ministack.endpoint().toString(),
                "AWS_ACCESS_KEY_ID",
                MiniStack.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                MiniStack.SECRET_KEY,
                "AWS_REGION",
                ministack.region().id(),
                "AWS_DEFAULT_REGION",
                ministack.region().id(),
                "CDK_DEFAULT_ACCOUNT",
                MiniStack.ACCOUNT_ID,
                "CDK_DEFAULT_REGION",
                ministack.region().id(),
                "CDK_DISABLE_CLI_TELEMETRY",
                "true");
        // the app runs from this JVM's classpath: no nested Maven build
        String app = ProcessHandle.current().info().command().orElse("java") + " -cp "
                + System.getProperty("java.class.path") + " io.smdrelease.cdk.ReleasePipelineApp";
        // both synthesize the app; the emulator's CloudFormation has no AWS::ECR::RegistryScanningConfiguration
        List<String> contextArgs = new ArrayList<>(List.of("-c", "enhancedScanning=false"));
        new TreeMap<>(context).forEach((key, value) -> contextArgs.addAll(List.of("-c", key + "=" + value)));
        List<String> bootstrap = new ArrayList<>(List.of(
                cli.toString(),
                "bootstrap",
                "aws://" + MiniStack.ACCOUNT_ID + "/" + ministack.region().id(),
                "--app",
                app,
                "--output",
                out.resolve("bootstrap").toString(),
                "--no-notices"));
        bootstrap.addAll(contextArgs);
        run(cdkDir, env, bootstrap, 300);
        List<String> deploy = new ArrayList<>(List.of(
                cli.toString(),
                "deploy",
                "--app",
                app,
                "--output",
                out.resolve("assembly").toString(),
                "--require-approval",
                "never",
                "--outputs-file",
                outputs.toString(),
                "--no-notices"));
        deploy.addAll(contextArgs);
        run(cdkDir, env, deploy, 600);
        JsonNode stacks = new ObjectMapper().readTree(outputs.toFile());
        Map<String, String> result = new TreeMap<>();
        stacks.elements()
                .next()
                .fields()
                .forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        return result;
    }

    private static void run(Path dir, Map<String, String> env, List<String> command, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("cdk-cli", ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(command.get(1) + " did not finish in " + timeoutSeconds + " s:\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command.subList(0, 2)) + " failed (exit " + process.exitValue()
                    + "):\n" + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
