package userpool

import (
	"regexp"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/token"
)

func TestJTICarriesIssueMillisecond(t *testing.T) {
	at := time.UnixMilli(1764072000123)
	jti := newJTI(at)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(jti) {
		t.Fatalf("jti %q is not a UUID v7", jti)
	}
	if got := issuedMilli(&token.Parsed{Claims: map[string]any{"jti": jti}}); got != at.UnixMilli() {
		t.Errorf("issuedMilli = %d, want %d", got, at.UnixMilli())
	}
	// A jti of another form falls back to the end of the iat second.
	if got := issuedMilli(&token.Parsed{Claims: map[string]any{"jti": newSub(), "iat": float64(10)}}); got != 10999 {
		t.Errorf("issuedMilli of a v4 jti = %d", got)
	}
}

func TestValidityUnits(t *testing.T) {
	c := &api.UserPoolClientType{}
	if a, i, r := validity(c); a != time.Hour || i != time.Hour || r != 30*24*time.Hour {
		t.Errorf("defaults = %v %v %v", a, i, r)
	}
	c = &api.UserPoolClientType{AccessTokenValidity: new(int32(5)), IdTokenValidity: new(int32(2)), RefreshTokenValidity: new(int32(60)),
		TokenValidityUnits: &api.TokenValidityUnitsType{AccessToken: new("minutes"), IdToken: new("days"), RefreshToken: new("minutes")}}
	if a, i, r := validity(c); a != 5*time.Minute || i != 48*time.Hour || r != time.Hour {
		t.Errorf("with units = %v %v %v", a, i, r)
	}
}
