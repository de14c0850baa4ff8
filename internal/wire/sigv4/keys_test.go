package sigv4

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadKeys(t *testing.T) {
	cases := []struct {
		name    string
		reason  string
		content string
		def     string
		want    map[string]Key
		wantErr string // substring of the error
	}{
		{
			name: "csv", reason: "comments, blank lines, spaces around fields and an optional account",
			content: "# access_key_id,secret_access_key[,account_id]\n\n" +
				"AKIAONE, secret/one+x ,123456789012\n" +
				"  AKIATWO,secrettwo\r\n",
			def: "210987654321",
			want: map[string]Key{
				"AKIAONE": {AccessKeyID: "AKIAONE", SecretAccessKey: "secret/one+x", AccountID: "123456789012"},
				"AKIATWO": {AccessKeyID: "AKIATWO", SecretAccessKey: "secrettwo", AccountID: "210987654321"},
			},
		},
		{
			name: "iam console csv", reason: "the IAM console's accessKeys.csv: BOM and header line",
			content: "\ufeffAccess key ID,Secret access key\nAKIAONE,secret\n",
			want:    map[string]Key{"AKIAONE": {AccessKeyID: "AKIAONE", SecretAccessKey: "secret"}},
		},
		{
			name: "duplicate same", reason: "a key listed twice identically is kept once",
			content: "A,s\nA,s\n",
			want:    map[string]Key{"A": {AccessKeyID: "A", SecretAccessKey: "s"}},
		},
		{
			name: "ini", reason: "the AWS CLI credentials file, with account IDs under either name",
			content: "# comment\n[default]\naws_access_key_id = AKIAONE\naws_secret_access_key=secret1\naws_session_token = ignored\n" +
				"; another comment\n[profile two]\nAWS_ACCESS_KEY_ID = AKIATWO\naws_secret_access_key = secret2\naccount_id = 123456789012\n" +
				"[three]\naws_access_key_id=AKIATHREE\naws_secret_access_key=secret3\naws_account_id=999999999999\n" +
				"[sso-only]\nsso_start_url = https://example.awsapps.com/start\nregion = us-west-2\n",
			def: "210987654321",
			want: map[string]Key{
				"AKIAONE":   {AccessKeyID: "AKIAONE", SecretAccessKey: "secret1", AccountID: "210987654321"},
				"AKIATWO":   {AccessKeyID: "AKIATWO", SecretAccessKey: "secret2", AccountID: "123456789012"},
				"AKIATHREE": {AccessKeyID: "AKIATHREE", SecretAccessKey: "secret3", AccountID: "999999999999"},
			},
		},
		{name: "empty", reason: "strict mode with no key would refuse everything", content: "# nothing\n\n", wantErr: "no access keys found"},
		{name: "one field", reason: "a secret is required", content: "AKIAONE\n", wantErr: "line 1: want access_key_id,secret_access_key[,account_id], got 1 fields"},
		{name: "four fields", reason: "at most three fields", content: "a,b,123456789012,d\n", wantErr: "got 4 fields"},
		{name: "empty secret", reason: "an empty secret signs nothing", content: "\nAKIAONE,\n", wantErr: "line 2: empty secret access key for AKIAONE"},
		{name: "empty key", reason: "an empty key ID", content: ",secret\n", wantErr: "line 1: empty access key ID"},
		{name: "slash in key", reason: "'/' would split the credential scope", content: "AK/IA,secret\n", wantErr: "contains whitespace, ',' or '/'"},
		{name: "space in secret", reason: "whitespace in a secret is a paste error", content: "AKIA,sec ret\n", wantErr: "contains whitespace"},
		{name: "bad account", reason: "an account ID is 12 digits", content: "AKIA,secret,12345\n", wantErr: `account ID "12345" is not 12 digits`},
		{name: "bad default account", reason: "the default account is checked too", content: "AKIA,secret\n", def: "abc", wantErr: `default account "abc" is not 12 digits`},
		{name: "conflict", reason: "one key ID with two secrets is ambiguous", content: "A,s1\nA,s2\n", wantErr: "line 2: access key ID A listed twice"},
		{name: "ini half key", reason: "a profile with a key ID and no secret", content: "[p]\naws_access_key_id=A\n", wantErr: "line 1 [p]: aws_access_key_id without aws_secret_access_key"},
		{name: "ini secret only", reason: "a profile with a secret and no key ID", content: "[p]\naws_secret_access_key=s\n", wantErr: "aws_secret_access_key without aws_access_key_id"},
		{name: "ini bad section", reason: "an unclosed section header", content: "[p\naws_access_key_id=A\n", wantErr: "has no closing ']'"},
		{name: "ini bad line", reason: "a line that is neither section nor setting", content: "[p]\nAKIA secret\n", wantErr: "line 2: want key = value"},
		{name: "ini no keys", reason: "profiles without keys only", content: "[p]\nregion=us-east-1\n", wantErr: "no access keys found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Log(tc.reason)
			p := writeFile(t, tc.content)
			got, err := LoadKeys(p, tc.def)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), p) && !strings.Contains(tc.wantErr, "default account") {
					t.Fatalf("err = %v does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("keys = %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestLoadKeysFileErrors(t *testing.T) {
	if _, err := LoadKeys(filepath.Join(t.TempDir(), "missing"), ""); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Fatalf("missing file: err = %v", err)
	}
	big := writeFile(t, strings.Repeat("A,s\n", maxKeyFileBytes/4+1))
	if _, err := LoadKeys(big, ""); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("big file: err = %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}

func TestParseKeys(t *testing.T) {
	got, err := ParseKeys("AKIAONE,secret1; AKIATWO,secret2,123456789012\nAKIATHREE,secret3", "210987654321")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Key{
		"AKIAONE":   {AccessKeyID: "AKIAONE", SecretAccessKey: "secret1", AccountID: "210987654321"},
		"AKIATWO":   {AccessKeyID: "AKIATWO", SecretAccessKey: "secret2", AccountID: "123456789012"},
		"AKIATHREE": {AccessKeyID: "AKIATHREE", SecretAccessKey: "secret3", AccountID: "210987654321"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("keys = %+v", got)
	}
	for _, bad := range []string{"", "AKIA", "AKIA,s,notanaccount", "A,s1;A,s2"} {
		if _, err := ParseKeys(bad, ""); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
}

// TestLoadedKeysVerify closes the loop: keys read from a file authenticate
// a request signed with them.
func TestLoadedKeysVerify(t *testing.T) {
	keys, err := LoadKeys(writeFile(t, "[default]\naws_access_key_id="+testAKID+"\naws_secret_access_key="+testSecret+"\n"), testAccount)
	if err != nil {
		t.Fatal(err)
	}
	v := &Verifier{Keys: keys, Now: strictVerifier().Now}
	r := newRequest("POST", "/", testBody)
	signRequest(t, r, testBody, testCreds, testNow)
	id, err := v.Authenticate(r, []byte(testBody))
	if err != nil || id.AccountID != testAccount {
		t.Fatalf("id = %+v, err = %v", id, err)
	}
}
