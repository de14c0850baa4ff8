package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cognate/cognate/internal/model"
)

// TestGeneratedCodeIsCurrent regenerates internal/api from the committed
// model and compares it with the committed files, so that the model and the
// Go code cannot drift apart. Fix with `go generate ./internal/model`.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	service, err := os.ReadFile(filepath.Join("..", model.ServiceFile))
	if err != nil {
		t.Fatal(err)
	}
	paginators, err := os.ReadFile(filepath.Join("..", model.PaginatorsFile))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Parse(service, paginators)
	if err != nil {
		t.Fatal(err)
	}
	src, err := genModel(m)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join("..", "cognitoidp_gen.go")); err != nil || string(got) != string(src) {
		t.Errorf("internal/model/cognitoidp_gen.go is not what the committed model generates (%v); run `go generate ./internal/model`", err)
	}
	for name, gen := range map[string]func(*model.Model) ([]byte, error){
		"types_gen.go":      genTypes,
		"operations_gen.go": genOperations,
		"errors_gen.go":     genErrors,
		"encode_gen.go":     genEncoders,
		"types_gen_test.go": genTypeList,
	} {
		want, err := gen(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "..", "api", name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("internal/api/%s is not what the committed model generates; run `go generate ./internal/model`", name)
		}
	}
}
