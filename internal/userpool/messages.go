package userpool

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// Default message texts, used when a pool sets none [OBS, moto uses the
// same; docs/research/userpool-facts.md §1.1]. The trailing spaces are
// AWS's.
const (
	defaultVerificationMessage = "Your verification code is {####}. "
	defaultVerificationSubject = "Your verification code"
	defaultInvitationMessage   = "Your username is {username} and temporary password is {####}. "
	defaultInvitationSubject   = "Your temporary password"
	defaultAuthMessage         = "Your authentication code is {####}. "
)

// newCode returns a 6-digit code, the form of every code Cognito sends
// [OBS].
func newCode() string {
	return fmt.Sprintf("%06d", randInt(1000000))
}

// render fills a message template: {####} is the code (or the temporary
// password), {username} the user name.
func render(template, code, username string) string {
	return strings.NewReplacer("{####}", code, "{username}", username).Replace(template)
}

// secretHash is SECRET_HASH: Base64(HMAC-SHA256(key = client secret,
// message = username + client ID)) [DOC].
func secretHash(clientSecret, username, clientID string) string {
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// validSecretHash reports whether got is the SECRET_HASH of username for
// the client, in constant time.
func validSecretHash(got, clientSecret, username, clientID string) bool {
	want := secretHash(clientSecret, username, clientID)
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
