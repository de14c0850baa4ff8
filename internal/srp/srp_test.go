package srp

import (
	"bytes"
	"math/big"
	"testing"
	"time"
)

// The group is RFC 5054's 3072-bit prime, k is the libraries' value, and
// PadHex pads as they do.
func TestGroup(t *testing.T) {
	if N.BitLen() != 3072 || !N.ProbablyPrime(20) {
		t.Fatalf("N: %d bits", N.BitLen())
	}
	for v, want := range map[int64]string{2: "02", 0x0f: "0f", 0x80: "0080", 0x123: "0123", 0x7fff: "7fff"} {
		if got := PadHex(big.NewInt(v)); got != want {
			t.Errorf("PadHex(%#x) = %s, want %s", v, got, want)
		}
	}
	if PadHex(N)[:4] != "00ff" {
		t.Errorf("PadHex(N) starts %s", PadHex(N)[:4])
	}
	// k = SHA-256(00 N 02), a fixed value any implementation must share.
	if k.BitLen() < 240 {
		t.Errorf("k = %x", k)
	}
}

// Client and server agree on the key with the right password, not with a
// wrong one, and the claim signature follows.
func TestHandshake(t *testing.T) {
	salt := NewSalt()
	v := Verifier("AbCdEf123", "alice", "Str0ng!Passw0rd-x", salt)
	for _, c := range []struct {
		password string
		agree    bool
	}{{"Str0ng!Passw0rd-x", true}, {"Str0ng!Passw0rd-y", false}} {
		cl := NewClient()
		A, err := ParseA(cl.AHex())
		if err != nil {
			t.Fatal(err)
		}
		b, B := ServerStart(v)
		serverKey := ServerKey(A, B, b, v)
		clientKey, err := cl.Key("AbCdEf123", "alice", c.password, salt.Text(16), B.Text(16))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(serverKey, clientKey) != c.agree || len(serverKey) != 16 {
			t.Errorf("password %q: keys agree = %v", c.password, !c.agree)
		}
		ts := time.Date(2026, 11, 5, 9, 3, 1, 0, time.UTC).Format(TimestampLayout)
		if ts != "Thu Nov 5 09:03:01 UTC 2026" {
			t.Errorf("timestamp %q", ts)
		}
		sig1 := Signature(serverKey, "AbCdEf123", "alice", []byte("block"), ts)
		sig2 := Signature(clientKey, "AbCdEf123", "alice", []byte("block"), ts)
		if bytes.Equal(sig1, sig2) != c.agree {
			t.Errorf("signatures agree = %v", !c.agree)
		}
	}
}

func TestParseA(t *testing.T) {
	for _, bad := range []string{"", "0", "zz", N.Text(16), new(big.Int).Mul(N, big.NewInt(3)).Text(16), "-5"} {
		if _, err := ParseA(bad); err == nil {
			t.Errorf("ParseA(%q) accepted", bad)
		}
	}
	if _, err := ParseA(NewClient().AHex()); err != nil {
		t.Error(err)
	}
}

func TestCheckTimestamp(t *testing.T) {
	for s, ok := range map[string]bool{"Thu Nov 5 09:03:01 UTC 2026": true, "Thu Nov 05 09:03:01 UTC 2026": true,
		"2026-11-05T09:03:01Z": false, "Thu Nov 5 09:03:01 GMT+1 2026": false, "": false} {
		if _, got := CheckTimestamp(s); got != ok {
			t.Errorf("CheckTimestamp(%q) = %v", s, got)
		}
	}
}

// FuzzParseA: any SRP_A is refused or accepted without panicking, and an
// accepted one is a positive number not 0 mod N.
func FuzzParseA(f *testing.F) {
	f.Add("0")
	f.Add(NewClient().AHex())
	f.Add(N.Text(16))
	f.Fuzz(func(t *testing.T, s string) {
		A, err := ParseA(s)
		if err == nil && (A.Sign() <= 0 || new(big.Int).Mod(A, N).Sign() == 0) {
			t.Fatalf("accepted %q", s)
		}
	})
}

// The table gives what Exp gives, for edge exponents too.
func TestExpG(t *testing.T) {
	for _, e := range []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(255), big.NewInt(256),
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)), new(big.Int).Lsh(big.NewInt(1), 300), randomSecret()} {
		if got, want := expG(e), new(big.Int).Exp(G, e, N); got.Cmp(want) != 0 {
			t.Errorf("expG(%x) differs from Exp", e)
		}
	}
}
