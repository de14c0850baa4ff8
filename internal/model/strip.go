package model

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/cognate/cognate/internal/model/ordered"
)

// proseKeys are the model keys that carry AWS's prose rather than facts;
// they are left out of the committed model.
var proseKeys = map[string]bool{"documentation": true, "documentationUrl": true, "deprecatedMessage": true}

// Strip removes AWS's prose from a botocore service model and returns it as
// indented JSON with the original key order.
func Strip(service []byte) ([]byte, error) {
	root, err := ordered.Decode(bytes.NewReader(service))
	if err != nil {
		return nil, fmt.Errorf("decode service model: %w", err)
	}
	stripValue(root)
	var out bytes.Buffer
	if err := ordered.Encode(&out, root); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func stripValue(v any) {
	switch t := v.(type) {
	case *ordered.Object:
		for _, k := range append([]string(nil), t.Keys...) {
			if proseKeys[k] {
				t.Delete(k)
				continue
			}
			stripValue(t.Values[k])
		}
	case []any:
		for _, e := range t {
			stripValue(e)
		}
	}
}

// Botocore is a service model of a local botocore installation.
type Botocore struct {
	Version    string
	Service    []byte // as shipped, prose included
	Paginators []byte
}

// LocateBotocore finds botocore through the python3 on PATH and reads the
// model of svc. It returns an error naming what is missing.
func LocateBotocore(svc Service) (*Botocore, error) {
	out, err := exec.Command("python3", "-c", "import botocore, os; print(botocore.__version__); print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		return nil, fmt.Errorf("python3 with botocore not found: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("unexpected python3 output %q", out)
	}
	dir := filepath.Join(lines[1], "data", svc.Name, svc.APIVersion)
	service, err := readMaybeGzip(filepath.Join(dir, "service-2.json"))
	if err != nil {
		return nil, err
	}
	paginators, err := readMaybeGzip(filepath.Join(dir, "paginators-1.json"))
	if err != nil {
		return nil, err
	}
	return &Botocore{Version: lines[0], Service: service, Paginators: paginators}, nil
}

// readMaybeGzip reads path or, when it is absent, path + ".gz" (botocore
// ships some model files compressed).
func readMaybeGzip(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil {
		return b, nil
	}
	f, err := os.Open(path + ".gz")
	if err != nil {
		return nil, fmt.Errorf("read botocore model: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s.gz: %w", path, err)
	}
	return io.ReadAll(zr)
}
