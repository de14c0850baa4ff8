package risk

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// commonPasswords is Django's list of 19,727 common passwords, lower-cased
// (COMMON-PASSWORDS-NOTICE): the "breached" credentials Cognate knows.
//
//go:embed common-passwords.txt.gz
var commonPasswords []byte

var (
	breachedOnce sync.Once
	breached     map[string]struct{}
)

// loadBreached decodes the list on first use: about 1 MiB that a server
// without threat protection never spends.
func loadBreached() {
	breached = make(map[string]struct{}, 20000)
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswords))
	if err != nil {
		panic("risk: embedded password list: " + err.Error()) // the build embeds a valid file
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			breached[line] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		panic("risk: embedded password list: " + err.Error())
	}
}

// Breached reports whether password is on the list, compared as Django
// does: trimmed and lower-cased, so "Pa$$w0rd" matches "pa$$w0rd".
func Breached(password string) bool {
	breachedOnce.Do(loadBreached)
	_, ok := breached[strings.ToLower(strings.TrimSpace(password))]
	return ok
}

// BreachedCount is how many passwords the list holds.
func BreachedCount() int {
	breachedOnce.Do(loadBreached)
	return len(breached)
}
