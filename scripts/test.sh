#!/usr/bin/env bash
# Runs every test of Cognate. It installs and starts what the tests need,
# idempotently, so that it works on a fresh machine: the machine's Python
# brings the AWS CLI v1, boto3, botocore and moto; the AWS CLI v2 (Debian's
# awscli, for the differential test of `cognate cognito-idp`) is installed
# here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null || { echo "test.sh: Go is not on PATH" >&2; exit 1; }
command -v aws >/dev/null || { echo "test.sh: the AWS CLI (v1, from the machine's Python) is not on PATH" >&2; exit 1; }

# AWS CLI v2 at /usr/bin/aws (the machine's PATH finds v1 first).
if ! /usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2\.'; then
  echo "test.sh: installing the AWS CLI v2 (Debian package awscli)" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq awscli >/dev/null
fi
export COGNATE_AWS_V2=/usr/bin/aws

gofmt_out=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$gofmt_out" ]; then
  echo "test.sh: gofmt would change:" >&2
  echo "$gofmt_out" >&2
  exit 1
fi
go vet ./...
# staticcheck, pinned; `go run` fetches it once from the module proxy and caches it.
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
go test -race -count=1 -timeout 15m ./...
