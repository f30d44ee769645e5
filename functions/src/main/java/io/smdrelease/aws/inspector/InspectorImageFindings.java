package io.smdrelease.aws.inspector;

import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.vulnerability.ImageFindings;
import io.smdrelease.vulnerability.ImageScan;
import io.smdrelease.vulnerability.Severity;
import io.smdrelease.vulnerability.Vulnerability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.inspector2.model.CoverageResourceType;
import software.amazon.awssdk.services.inspector2.model.CoverageStringComparison;
import software.amazon.awssdk.services.inspector2.model.CoverageStringFilter;
import software.amazon.awssdk.services.inspector2.model.CoveredResource;
import software.amazon.awssdk.services.inspector2.model.Finding;
import software.amazon.awssdk.services.inspector2.model.FindingStatus;
import software.amazon.awssdk.services.inspector2.model.FindingType;
import software.amazon.awssdk.services.inspector2.model.FixAvailable;
import software.amazon.awssdk.services.inspector2.model.ListCoverageResponse;
import software.amazon.awssdk.services.inspector2.model.ListFindingsResponse;
import software.amazon.awssdk.services.inspector2.model.PackageVulnerabilityDetails;
import software.amazon.awssdk.services.inspector2.model.ResourceType;
import software.amazon.awssdk.services.inspector2.model.ScanStatus;
import software.amazon.awssdk.services.inspector2.model.ScanStatusCode;
import software.amazon.awssdk.services.inspector2.model.ScanStatusReason;
import software.amazon.awssdk.services.inspector2.model.StringComparison;
import software.amazon.awssdk.services.inspector2.model.StringFilter;
import software.amazon.awssdk.services.inspector2.model.VulnerablePackage;

/**
 * The findings of an ECR image digest from Amazon Inspector (ECR enhanced scanning): {@code ListCoverage} says
 * whether Inspector has scanned the image, {@code ListFindings} filtered by registry, repository and digest lists its
 * active package vulnerabilities. Findings exist only for a scanned image, so findings count as a complete scan even
 * before the coverage says so.
 *
 * <p>IAM: {@code inspector2:ListFindings} and {@code inspector2:ListCoverage} (neither takes a resource ARN).
 */
public final class InspectorImageFindings implements ImageFindings {
    /** ListFindings' page size limit. */
    static final int PAGE_SIZE = 100;

    /** Reasons after which Inspector will not scan the image, however long one waits. */
    private static final Set<ScanStatusReason> WILL_NOT_SCAN = Set.of(
            ScanStatusReason.UNSUPPORTED_OS,
            ScanStatusReason.UNSUPPORTED_MEDIA_TYPE,
            ScanStatusReason.UNSUPPORTED_CONFIG_FILE,
            ScanStatusReason.IMAGE_SIZE_EXCEEDED,
            ScanStatusReason.IMAGE_ARCHIVED,
            ScanStatusReason.SCAN_ELIGIBILITY_EXPIRED,
            ScanStatusReason.EXCLUDED_BY_TAG,
            ScanStatusReason.ACCESS_DENIED,
            ScanStatusReason.ACCESS_DENIED_TO_ENCRYPTION_KEY,
            ScanStatusReason.NO_SCAN_CONFIGURATION_ASSOCIATED,
            ScanStatusReason.SCAN_FREQUENCY_MANUAL);
    /** Reasons of an ACTIVE coverage whose scan has not completed yet. */
    private static final Set<ScanStatusReason> NOT_YET = Set.of(
            ScanStatusReason.PENDING_INITIAL_SCAN,
            ScanStatusReason.SCAN_IN_PROGRESS,
            ScanStatusReason.PENDING_REVIVAL_SCAN);

    private final Function<String, Inspector2Client> clients;
    private final Map<String, Inspector2Client> byRegion = new ConcurrentHashMap<>();

    /** @param clients an Inspector client per region (an image is scanned in its repository's region) */
    public InspectorImageFindings(Function<String, Inspector2Client> clients) {
        this.clients = clients;
    }

    /**
     * An Inspector client with the light URL-connection HTTP client; {@code AWS_ENDPOINT_URL} is honoured by the SDK.
     */
    public static Inspector2Client client(String region) {
        return Inspector2Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(region))
                .build();
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvalidInputException when {@code repository} is not a private ECR repository
     */
    @Override
    public ImageScan findingsOf(String repository, String digest) {
        EcrRepository ecr = EcrRepository.parse(repository)
                .orElseThrow(() -> new InvalidInputException(repository + " is not a private ECR repository"
                        + " (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME): Amazon Inspector scans only those; stage the"
                        + " candidates in ECR, or drop cveGate"));
        Inspector2Client inspector = byRegion.computeIfAbsent(ecr.region(), clients);
        ImageScan coverage = coverage(inspector, ecr, digest);
        List<Vulnerability> findings = findings(inspector, ecr, digest);
        return findings.isEmpty() && !coverage.complete() ? coverage : ImageScan.complete(findings);
    }

    @Override
    public String describe() {
        return "Amazon Inspector";
    }

    /**
     * Whether Inspector has scanned the image (complete, without findings), or why not. Asked before the findings, so
     * a scan that completes in between is not read as a clean one.
     */
    private static ImageScan coverage(Inspector2Client inspector, EcrRepository ecr, String digest) {
        String resourceId = "arn:" + partition(ecr.region()) + ":ecr:" + ecr.region() + ":" + ecr.account()
                + ":repository/" + ecr.name() + "/" + digest;
        ListCoverageResponse response =
                inspector.listCoverage(r -> r.filterCriteria(f -> f.resourceId(coverageEquals(resourceId))
                        .resourceType(coverageEquals(CoverageResourceType.AWS_ECR_CONTAINER_IMAGE.toString()))));
        for (CoveredResource resource : response.coveredResources()) {
            if (!resourceId.equals(resource.resourceId())) {
                continue; // the filter narrows; the id decides
            }
            ScanStatus status = resource.scanStatus();
            if (status == null) {
                return ImageScan.pending("no scan status yet");
            }
            boolean active = status.statusCode() == ScanStatusCode.ACTIVE;
            if (active && resource.lastScannedAt() != null && !NOT_YET.contains(status.reason())) {
                return ImageScan.complete(List.of());
            }
            String words = status.statusCodeAsString() + " " + status.reasonAsString();
            return !active && WILL_NOT_SCAN.contains(status.reason())
                    ? ImageScan.unavailable(words)
                    : ImageScan.pending(words);
        }
        return ImageScan.pending(
                "Inspector covers no image " + digest + " in " + ecr.name() + " yet (is enhanced scanning on for it?)");
    }

    private static List<Vulnerability> findings(Inspector2Client inspector, EcrRepository ecr, String digest) {
        List<Vulnerability> vulnerabilities = new ArrayList<>();
        inspector
                .listFindingsPaginator(r -> r.maxResults(PAGE_SIZE)
                        .filterCriteria(f -> f.ecrImageRegistry(equalTo(ecr.account()))
                                .ecrImageRepositoryName(equalTo(ecr.name()))
                                .ecrImageHash(equalTo(digest))
                                .resourceType(equalTo(ResourceType.AWS_ECR_CONTAINER_IMAGE.toString()))
                                .findingType(equalTo(FindingType.PACKAGE_VULNERABILITY.toString()))
                                .findingStatus(equalTo(FindingStatus.ACTIVE.toString()))))
                .stream()
                .map(ListFindingsResponse::findings)
                .flatMap(List::stream)
                .forEach(finding -> vulnerabilities.addAll(vulnerabilities(finding)));
        return vulnerabilities;
    }

    /** One vulnerability per vulnerable package of a finding. */
    static List<Vulnerability> vulnerabilities(Finding finding) {
        PackageVulnerabilityDetails details = finding.packageVulnerabilityDetails();
        String id = details != null && details.vulnerabilityId() != null ? details.vulnerabilityId() : finding.title();
        Severity severity = Severity.of(finding.severityAsString());
        boolean fixable = finding.fixAvailable() == FixAvailable.YES || finding.fixAvailable() == FixAvailable.PARTIAL;
        List<Vulnerability> out = new ArrayList<>();
        if (details == null || details.vulnerablePackages().isEmpty()) {
            out.add(new Vulnerability(id, severity, fixable, null, null, null));
            return out;
        }
        for (VulnerablePackage p : details.vulnerablePackages()) {
            String fixedIn = p.fixedInVersion();
            boolean packageFixable = fixable && !"NotAvailable".equals(fixedIn);
            out.add(new Vulnerability(
                    id, severity, packageFixable, p.name(), p.version(), packageFixable ? fixedIn : null));
        }
        return out;
    }

    private static StringFilter equalTo(String value) {
        return StringFilter.builder()
                .comparison(StringComparison.EQUALS)
                .value(value)
                .build();
    }

    private static CoverageStringFilter coverageEquals(String value) {
        return CoverageStringFilter.builder()
                .comparison(CoverageStringComparison.EQUALS)
                .value(value)
                .build();
    }

    private static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }
}
