//go:build !unix

package prompt

import (
	"fmt"
	"os"
	"runtime"

	"github.com/cognate/cognate/internal/model"
)

// Prompt is not available on this platform: it returns an error matching
// ErrNotTerminal.
func Prompt(m *model.Model, args []string, in *os.File, out *os.File) ([]string, error) {
	return nil, fmt.Errorf("%w: not supported on %s", ErrNotTerminal, runtime.GOOS)
}
