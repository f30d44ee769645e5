#!/usr/bin/env bash
# scripts/test-signing-certificate.sh DIR
# Makes, with openssl, what smd-release signing-setup imports into ACM, for the local pipeline and for trials only:
#   DIR/ca.pem, DIR/ca.key.pem          a self-signed CA (P-256), valid 365 days: what a verifier trusts
#   DIR/signer.pem, DIR/signer.key.pem  a P-256 code-signing certificate it issues (keyUsage=digitalSignature,
#                                       extendedKeyUsage=codeSigning), valid 90 days, its key unencrypted PKCS#8
# then: smd-release signing-setup --profile-name NAME --certificate DIR/signer.pem --private-key DIR/signer.key.pem \
#         --certificate-chain DIR/ca.pem
# A real account signs with a certificate of its own CA (AWS Private CA or another; README "Signing"). The keys stay in
# DIR: keep it out of version control.
set -euo pipefail
dir="${1:?usage: scripts/test-signing-certificate.sh DIR}"
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"

cat >ca.cnf <<'EOF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key.pem
openssl req -x509 -new -key ca.key.pem -subj "/CN=smd-release test CA" -days 365 -config ca.cnf -extensions ca \
  -set_serial "0x$(openssl rand -hex 8)" -out ca.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signer.key.pem
openssl req -new -key signer.key.pem -subj "/CN=smd-release test signer" -config ca.cnf -out signer.csr
openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key.pem -set_serial "0x$(openssl rand -hex 8)" -days 90 \
  -extfile ca.cnf -extensions signer -out signer.pem
rm -f signer.csr ca.cnf
openssl verify -CAfile ca.pem -purpose any signer.pem >/dev/null
