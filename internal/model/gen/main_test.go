package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedCodeIsCurrent regenerates every service's code from the
// committed models and compares it with the committed files, so that the
// models and the Go code cannot drift apart. Fix with
// `go generate ./internal/model`.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	for _, tg := range targets {
		m, err := readModel("..", tg.service)
		if err != nil {
			t.Fatal(err)
		}
		for name, src := range generate(m, tg) {
			if src.err != nil {
				t.Fatalf("%s %s: %v", tg.service.Name, name, src.err)
			}
			dir := filepath.Join("..", tg.apiDir)
			if name == tg.service.GoFile {
				dir = ".."
			}
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || string(got) != string(src.code) {
				t.Errorf("%s is not what the committed %s model generates (%v); run `go generate ./internal/model`", filepath.Join(dir, name), tg.service.Name, err)
			}
		}
	}
}
