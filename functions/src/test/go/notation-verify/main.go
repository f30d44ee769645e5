// Command notation-verify checks one Notation signature envelope with the Notary Project's own verifier
// (notation-go), configured the way `notation verify` configures it: a trust policy (trustpolicy.json) and an x509
// CA trust store in a notation config directory, here a temporary one.
//
//	notation-verify -envelope sig.jws.json -media-type application/vnd.oci.image.manifest.v1+json \
//	    -digest sha256:... -size 1234 -ca root.pem [-reference registry.example/repo@sha256:...] [-level strict]
//
// Exit status: 0 verified, 1 refused (every check and its error is printed), 2 bad arguments or setup.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/notaryproject/notation-core-go/signature"

	"github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/dir"
	"github.com/notaryproject/notation-go/verifier"
	"github.com/notaryproject/notation-go/verifier/trustpolicy"
	"github.com/notaryproject/notation-go/verifier/truststore"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

const (
	storeName          = "smd-release"
	signatureMediaType = "application/jose+json"
)

func main() {
	os.Exit(run())
}

// run verifies and returns the exit status (the deferred clean-up runs before the exit).
func run() int {
	envelopePath := flag.String("envelope", "", "the JWS envelope file (the signature manifest's layer)")
	mediaType := flag.String("media-type", ocispec.MediaTypeImageManifest, "the signed image's media type")
	dgst := flag.String("digest", "", "the signed image's digest, sha256:...")
	size := flag.Int64("size", -1, "the signed image's size in bytes")
	caPath := flag.String("ca", "", "PEM file of the CA certificate(s) to trust")
	reference := flag.String("reference", "", "artifact reference the trust policy is applied to (default registry.example/smd-release/image@<digest>)")
	level := flag.String("level", trustpolicy.LevelStrict.Name, "signatureVerification level of the trust policy")
	flag.Parse()
	if *envelopePath == "" || *dgst == "" || *size < 0 || *caPath == "" {
		return usage("-envelope, -digest, -size and -ca are required")
	}
	if _, err := digest.Parse(*dgst); err != nil {
		return usage(fmt.Sprintf("-digest %q: %v", *dgst, err))
	}
	if *reference == "" {
		*reference = "registry.example/smd-release/image@" + *dgst
	}
	signature, err := os.ReadFile(*envelopePath)
	if err != nil {
		return usage(err.Error())
	}

	configDir, err := os.MkdirTemp("", "notation-config-")
	if err != nil {
		return usage(err.Error())
	}
	defer os.RemoveAll(configDir)
	v, err := verifierIn(configDir, *caPath, *level)
	if err != nil {
		return usage(err.Error())
	}

	desc := ocispec.Descriptor{MediaType: *mediaType, Digest: digest.Digest(*dgst), Size: *size}
	outcome, err := v.Verify(context.Background(), desc, signature, notation.VerifierVerifyOptions{
		ArtifactReference:  *reference,
		SignatureMediaType: signatureMediaType,
	})
	failed := err != nil
	if outcome != nil {
		if outcome.VerificationLevel != nil {
			fmt.Printf("level %s\n", outcome.VerificationLevel.Name)
		}
		for _, result := range outcome.VerificationResults {
			status := "ok"
			if result.Error != nil {
				// a check whose action is only "log" still fails here: the test wants every check to pass
				failed = true
				status = "FAILED: " + result.Error.Error()
			}
			fmt.Printf("%s (%s): %s\n", result.Type, result.Action, status)
		}
	}
	if failed {
		fmt.Printf("refused: %v\n", err)
		return 1
	}
	signer := outcome.EnvelopeContent.SignerInfo
	fmt.Printf("verified %s %s %s signed %s by %s\n", *reference, signer.SignedAttributes.SigningScheme,
		algorithmName(signer.SignatureAlgorithm), signer.SignedAttributes.SigningTime.UTC().Format(time.RFC3339),
		signer.CertificateChain[0].Subject)
	return 0
}

// algorithmName is the JWS name of a signature algorithm (notation-core-go's type has no String method).
func algorithmName(alg signature.Algorithm) string {
	names := map[signature.Algorithm]string{
		signature.AlgorithmES256: "ES256", signature.AlgorithmES384: "ES384", signature.AlgorithmES512: "ES512",
		signature.AlgorithmPS256: "PS256", signature.AlgorithmPS384: "PS384", signature.AlgorithmPS512: "PS512",
	}
	if name, ok := names[alg]; ok {
		return name
	}
	return fmt.Sprintf("algorithm#%d", alg)
}

// verifierIn writes the notation configuration into configDir (trustpolicy.json and truststore/x509/ca/<name>/)
// and loads it back through notation-go's own loaders, as `notation verify` does.
func verifierIn(configDir, caPath, level string) (notation.Verifier, error) {
	dir.UserConfigDir = configDir
	ca, err := os.ReadFile(caPath)
	if err != nil {
		return nil, err
	}
	store := filepath.Join(configDir, dir.X509TrustStoreDir(string(truststore.TypeCA), storeName))
	if err := os.MkdirAll(store, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(store, "ca.pem"), ca, 0o600); err != nil {
		return nil, err
	}
	policy := trustpolicy.Document{
		Version: "1.0",
		TrustPolicies: []trustpolicy.TrustPolicy{{
			Name:                  "smd-release-images",
			RegistryScopes:        []string{"*"},
			SignatureVerification: trustpolicy.SignatureVerification{VerificationLevel: level},
			TrustStores:           []string{string(truststore.TypeCA) + ":" + storeName},
			TrustedIdentities:     []string{"*"},
		}},
	}
	policyJSON, err := json.MarshalIndent(policy, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(configDir, dir.PathTrustPolicy), policyJSON, 0o600); err != nil {
		return nil, err
	}
	loaded, err := trustpolicy.LoadDocument()
	if err != nil {
		return nil, err
	}
	return verifier.New(loaded, truststore.NewX509TrustStore(dir.ConfigFS()), nil)
}

func usage(message string) int {
	fmt.Fprintln(os.Stderr, "notation-verify: "+message)
	flag.Usage()
	return 2
}
