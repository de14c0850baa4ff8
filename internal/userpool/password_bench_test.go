package userpool

import "testing"

// BenchmarkHashFast is the cost of one new password hash with the default
// parameters: the floor of SignUp and of AdminCreateUser with an
// invitation.
func BenchmarkHashFast(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("Passw0rd!", HashFast); err != nil {
			b.Fatal(err)
		}
	}
}
