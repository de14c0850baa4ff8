package prompt

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/model"
)

func TestPromptNeedsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	_, err = Prompt(model.CognitoIDP(), []string{"cognito-idp"}, r, w)
	if !errors.Is(err, ErrNotTerminal) || !strings.Contains(err.Error(), "is not a terminal") {
		t.Fatalf("Prompt on a pipe: %v", err)
	}
	if _, err := Prompt(model.CognitoIDP(), nil, nil, nil); !errors.Is(err, ErrNotTerminal) {
		t.Fatalf("Prompt on nil: %v", err)
	}
}
