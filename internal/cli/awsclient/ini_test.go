package awsclient

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// iniFiles are parsed by parseINI and by botocore's raw_config_parse.
var iniFiles = []string{
	"[default]\nregion = us-east-1\noutput=json\n",
	"[default]\n# comment\n; other\nregion : eu-west-1\n  \n[profile a b]\nKey = V = W\n",
	"[profile x]\ns3 =\n    addressing_style = path\n    signature_version = s3v4\nregion = us-west-2\n",
	"[DEFAULT]\nregion = ap-south-1\n[default]\noutput = text\n[profile y]\nregion = eu-north-1\n",
	"[default]\ncli_pager =\nmulti = line one\n  line two\n\n  line three\n",
	"[ spaced ]\na = 1\n[default] ; trailing\nb = 2\n",
	"[default]\nregion = us-east-1\r\n[profile w]\r\nregion = us-west-1\r\n",
	"[services s]\ncognito_identity_provider =\n  endpoint_url = http://x:1\n",
}

// badINIFiles must fail to parse (ConfigParseError).
var badINIFiles = []string{
	"region = us-east-1\n",
	"[default]\nregion\n",
	"[default]\na = 1\na = 2\n",
	"[default]\na = 1\n[default]\nb = 2\n",
	"[default]\ns3 =\n  novalue\n",
}

const botocoreINIScript = `
import json, sys, tempfile, os
from botocore.configloader import raw_config_parse
from botocore.exceptions import ConfigParseError
out = []
for text in json.loads(sys.stdin.read()):
    with tempfile.NamedTemporaryFile('w', delete=False, newline='') as f:
        f.write(text)
    try:
        out.append(raw_config_parse(f.name))
    except ConfigParseError:
        out.append(None)
    os.unlink(f.name)
print(json.dumps(out))
`

func iniAsJSON(f *iniFile) map[string]any {
	out := map[string]any{}
	for _, name := range f.names {
		sec := map[string]any{}
		for k, v := range f.sections[name] {
			if m, ok := v.(map[string]string); ok {
				mm := map[string]any{}
				for a, b := range m {
					mm[a] = b
				}
				sec[k] = mm
			} else {
				sec[k] = v
			}
		}
		out[name] = sec
	}
	return out
}

func TestParseINIMatchesBotocore(t *testing.T) {
	all := append(append([]string(nil), iniFiles...), badINIFiles...)
	in, _ := json.Marshal(all)
	var boto []map[string]any
	runPythonStdin(t, botocoreINIScript, in, &boto)
	for i, text := range all {
		f, err := parseINI([]byte(text))
		if boto[i] == nil {
			if err == nil {
				t.Errorf("file %d parsed, botocore fails:\n%s", i, text)
			}
			continue
		}
		if err != nil {
			t.Errorf("file %d: %v\n%s", i, err, text)
			continue
		}
		if got := iniAsJSON(f); !reflect.DeepEqual(got, boto[i]) {
			t.Errorf("file %d:\n got %v\nboto %v", i, got, boto[i])
		}
	}
}

func TestParseINI(t *testing.T) {
	f, err := parseINI([]byte(iniFiles[2]))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"profile x": map[string]any{"s3": map[string]any{"addressing_style": "path", "signature_version": "s3v4"}, "region": "us-west-2"}}
	if got := iniAsJSON(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
	for i, text := range badINIFiles {
		if _, err := parseINI([]byte(text)); err == nil {
			t.Errorf("bad file %d parsed", i)
		}
	}
}

func TestLoadSharedConfigProfiles(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(cfg, []byte("[default]\nregion = a\n[profile p]\nregion = b\n[profile \"q r\"]\nregion = c\n[plain]\nregion = d\n[sso-session s]\nx = 1\n"), 0o600)
	os.WriteFile(creds, []byte("[p]\nregion = override\naws_access_key_id = k\n[plain]\naws_access_key_id = k2\n"), 0o600)
	sc, _, err := loadSharedConfig(cfg, creds)
	if err != nil {
		t.Fatal(err)
	}
	check := func(p, key, want string) {
		t.Helper()
		if got, _ := sc.profiles[p].str(key); got != want {
			t.Errorf("%s.%s = %q, want %q", p, key, got, want)
		}
	}
	check("default", "region", "a")
	check("p", "region", "override")
	check("q r", "region", "c")
	check("plain", "aws_access_key_id", "k2")
	check("plain", "region", "") // [plain] in the config file is not a profile
	if !sc.credsKeys["p"]["aws_access_key_id"] || sc.credsKeys["default"] != nil {
		t.Errorf("credsKeys %v", sc.credsKeys)
	}
}
