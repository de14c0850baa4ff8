package server

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestREADMEListsTheBuiltOperations keeps the README's table of operations
// true: it names exactly the operations mount binds.
func TestREADMEListsTheBuiltOperations(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "## What is implemented")
	if start < 0 {
		t.Fatal("README has no 'What is implemented' section")
	}
	section = section[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var listed []string
	for _, row := range regexp.MustCompile(`(?m)^\| ([^|]+) \|`).FindAllStringSubmatch(section, -1) {
		for _, name := range regexp.MustCompile("`([A-Za-z]+)`").FindAllStringSubmatch(row[1], -1) {
			listed = append(listed, name[1])
		}
	}
	built := Implemented()
	sort.Strings(listed)
	sort.Strings(built)
	if strings.Join(listed, ",") != strings.Join(built, ",") {
		t.Errorf("README lists %v\nbut the server builds %v", listed, built)
	}
}
