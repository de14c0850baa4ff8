package userpool

import (
	"encoding/base64"
	"errors"
	"regexp"
	"testing"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/srp"
	"github.com/cognate/cognate/internal/storage"
)

// FuzzDevicesToken: ListDevices' PaginationToken parser refuses what it
// did not make with InvalidParameterException, never panics, and reads
// back every token it makes.
func FuzzDevicesToken(f *testing.F) {
	f.Add("dXMtZWFzdC0xX2FiYw")
	f.Add(encodeDevicesToken("us-east-1_00000000-0000-4000-8000-000000000000"))
	f.Add("")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, tok string) {
		key, err := parseDevicesToken(tok)
		if err != nil {
			if !errors.Is(err, api.ErrInvalidParameter) {
				t.Fatalf("parseDevicesToken(%q) = %v", tok, err)
			}
			return
		}
		if !deviceKeyPattern.MatchString(key) {
			t.Fatalf("parseDevicesToken(%q) = %q, not a device key", tok, key)
		}
		if back, err := parseDevicesToken(encodeDevicesToken(key)); err != nil || back != key {
			t.Fatalf("round trip of %q = %q, %v", key, back, err)
		}
	})
}

// FuzzDeviceVerifier: a DeviceSecretVerifierConfig is either refused with
// InvalidParameterException or read as a salt and a verifier in 1..N-1;
// nothing panics.
func FuzzDeviceVerifier(f *testing.F) {
	f.Add("TXlWZXJpZmllclN0cmluZw", "TXlTUlBTYWx0")
	f.Add("AA==", "AQ==")
	f.Add("", "")
	f.Add("!", "?")
	f.Add(base64.StdEncoding.EncodeToString(srp.N.Bytes()), "AQ")
	f.Fuzz(func(t *testing.T, verifier, salt string) {
		dv, err := parseDeviceVerifier(&api.DeviceSecretVerifierConfigType{PasswordVerifier: &verifier, Salt: &salt})
		if err != nil {
			if !errors.Is(err, api.ErrInvalidParameter) {
				t.Fatalf("parseDeviceVerifier(%q, %q) = %v", verifier, salt, err)
			}
			return
		}
		if dv.verifier.Sign() <= 0 || dv.verifier.Cmp(srp.N) >= 0 || dv.salt == nil {
			t.Fatalf("parseDeviceVerifier(%q, %q) = %v", verifier, salt, dv)
		}
	})
}

// TestDeviceGroupKey: "-" and 8 letters and digits, as AWS's, stable for
// a user and different for another sub or pool.
func TestDeviceGroupKey(t *testing.T) {
	p := &poolView{rec: &storage.UserPool{ID: "us-east-1_abc"}}
	u := &userData{Attrs: []attr{{"sub", "1"}}}
	g := deviceGroupKey(p, u)
	if !regexp.MustCompile(`^-[A-Za-z0-9]{8}$`).MatchString(g) || deviceGroupKey(p, u) != g {
		t.Errorf("group key %q", g)
	}
	if deviceGroupKey(p, &userData{Attrs: []attr{{"sub", "2"}}}) == g {
		t.Errorf("two subs share a group key")
	}
	if deviceGroupKey(&poolView{rec: &storage.UserPool{ID: "us-east-1_abd"}}, u) == g {
		t.Errorf("two pools share a group key")
	}
}
