#!/usr/bin/env bash
# Runs every test of Cognate. It installs and starts what the tests need,
# idempotently, so that it works on a fresh machine: today the machine's
# Python brings the AWS CLI v1, boto3, botocore and moto; nothing to install.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null || { echo "test.sh: Go is not on PATH" >&2; exit 1; }
command -v aws >/dev/null || { echo "test.sh: the AWS CLI (v1, from the machine's Python) is not on PATH" >&2; exit 1; }

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
