package userpool

import (
	"errors"
	"testing"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/token"
)

// TestRequireSignInScope: the user-attribute operations need the
// aws.cognito.signin.user.admin scope; a token without it (as the hosted
// UI issues for other scopes) gets AWS's text [DOC; OBS amplify-js#6444].
// Cognate's own sign-in tokens always carry it, so the wire tests cannot
// meet this case.
func TestRequireSignInScope(t *testing.T) {
	for scope, ok := range map[string]bool{
		"aws.cognito.signin.user.admin":              true,
		"openid aws.cognito.signin.user.admin email": true,
		"openid email profile":                       false,
		"":                                           false,
		"aws.cognito.signin.user.admin.x":            false,
	} {
		err := requireSignInScope(&verified{p: &token.Parsed{Claims: map[string]any{"scope": scope}}})
		if ok && err != nil {
			t.Errorf("scope %q: %v", scope, err)
		}
		var ae *api.Error
		if !ok && (!errors.As(err, &ae) || ae.Code != "NotAuthorizedException" || ae.Message != "Access Token does not have required scopes") {
			t.Errorf("scope %q: %v", scope, err)
		}
	}
}
