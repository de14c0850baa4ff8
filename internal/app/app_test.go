package app

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestServeSettingsFromFlagsAndEnvironment(t *testing.T) {
	t.Setenv("COGNATE_ADDR", "127.0.0.1:1")
	t.Setenv("COGNATE_IN_MEMORY", "true")
	t.Setenv("COGNATE_ACCOUNT_ID", "111111111111")
	t.Setenv("COGNATE_DATA_DIR", "/env/dir")
	o, err := parseServe([]string{"--account-id", "222222222222"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	// The flag wins over the environment; the environment over defaults.
	if o.addr != "127.0.0.1:1" || !o.inMemory || o.accountID != "222222222222" || o.dataDir != "/env/dir" || o.logLevel != "info" {
		t.Errorf("options = %+v", o)
	}
}

func TestServeDefaults(t *testing.T) {
	o, err := parseServe(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.addr != "127.0.0.1:9229" || o.dataDir != "./.cognate" || o.inMemory || o.accountID != "123456789012" || o.maxBodyBytes != 16<<20 {
		t.Errorf("defaults = %+v", o)
	}
}

func TestServeRefusesBadSettings(t *testing.T) {
	for _, args := range [][]string{{"--account-id", "12"}, {"--bogus"}, {"stray"}} {
		var stderr bytes.Buffer
		if code := Main(append([]string{"serve"}, args...), &bytes.Buffer{}, &stderr); code != 2 {
			t.Errorf("serve %v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
	var stderr bytes.Buffer
	if code := Main([]string{"serve", "--log-level", "loud", "--in-memory"}, &bytes.Buffer{}, &stderr); code != 2 || !strings.Contains(stderr.String(), "--log-level") {
		t.Errorf("bad log level: exit %d %s", code, stderr.String())
	}
}

func TestVersionAndUsage(t *testing.T) {
	var out bytes.Buffer
	if code := Main([]string{"version"}, &out, &bytes.Buffer{}); code != 0 || !strings.HasPrefix(out.String(), "cognate dev (go") {
		t.Errorf("version: %d %q", code, out.String())
	}
	var errOut bytes.Buffer
	if code := Main([]string{"frobnicate"}, &bytes.Buffer{}, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut.String())
	}
}

func TestStrictKeysFromFileAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/keys.csv"
	if err := os.WriteFile(file, []byte("AKIDFILE,filesecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COGNATE_KEYS", "AKIDENV,envsecret,210987654321")
	o, err := parseServe([]string{"--keys-file", file}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := loadKeys(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys["AKIDFILE"].SecretAccessKey != "filesecret" || keys["AKIDFILE"].AccountID != "123456789012" || keys["AKIDENV"].AccountID != "210987654321" {
		t.Errorf("keys = %+v", keys)
	}
	none, err := loadKeys(&serveOptions{})
	if err != nil || none != nil {
		t.Errorf("no keys configured should mean permissive mode (nil): %v %v", none, err)
	}
}
