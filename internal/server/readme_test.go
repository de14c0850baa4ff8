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
	checkREADMETable(t, "## What is implemented", Implemented())
}

// TestREADMEListsTheBuiltLogsOperations does the same for the built-in
// CloudWatch Logs and mountLogs.
func TestREADMEListsTheBuiltLogsOperations(t *testing.T) {
	checkREADMETable(t, "## Built-in CloudWatch Logs", ImplementedLogs())
}

// checkREADMETable checks that the first column of the tables in the
// README section under heading names exactly the operations in built.
func checkREADMETable(t *testing.T, heading string, built []string) {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, heading+"\n")
	if start < 0 {
		t.Fatalf("README has no %q section", heading)
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
	built = append([]string(nil), built...)
	sort.Strings(listed)
	sort.Strings(built)
	if strings.Join(listed, ",") != strings.Join(built, ",") {
		t.Errorf("README section %q lists %v\nbut the server builds %v", heading, listed, built)
	}
}
