package userpool

import "testing"

// BenchmarkHash is the cost of one new password hash with each preset:
// standard (the default) is the floor of SignUp; light is what generated
// temporary passwords cost (AdminCreateUser's invitation).
func BenchmarkHash(b *testing.B) {
	for _, name := range HashPresetNames() {
		p, _ := HashPreset(name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := HashPassword("Passw0rd!", p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
