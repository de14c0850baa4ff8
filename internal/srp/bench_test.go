package srp

import "testing"

// go test ./internal/srp -run XXX -bench .
func BenchmarkVerifier(b *testing.B) {
	salt := NewSalt()
	for b.Loop() {
		Verifier("AbCdEf123", "alice", "Str0ng!Passw0rd-x", salt)
	}
}

func BenchmarkServerHandshake(b *testing.B) {
	salt := NewSalt()
	v := Verifier("AbCdEf123", "alice", "Str0ng!Passw0rd-x", salt)
	A, _ := ParseA(NewClient().AHex())
	for b.Loop() {
		bb, B := ServerStart(v)
		ServerKey(A, B, bb, v)
	}
}

func BenchmarkClientHandshake(b *testing.B) {
	salt := NewSalt()
	v := Verifier("AbCdEf123", "alice", "Str0ng!Passw0rd-x", salt)
	_, B := ServerStart(v)
	for b.Loop() {
		c := NewClient()
		if _, err := c.Key("AbCdEf123", "alice", "Str0ng!Passw0rd-x", salt.Text(16), B.Text(16)); err != nil {
			b.Fatal(err)
		}
	}
}
