package server

import (
	"encoding/json"
	"net/http"

	"github.com/cognate/cognate/internal/token"
	"github.com/cognate/cognate/internal/userpool"
)

// The OpenID discovery documents of each pool, on the API's port at the
// paths Cognito serves them under its issuer
// (https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/…)
// [DOC "Verifying a JSON Web Token"]: with the default issuer,
// http://<host:port>/<poolId>, a JWT library finds the keys from iss.

// JWKSPathPattern and OpenIDPathPattern are the routes (net/http patterns).
const (
	JWKSPathPattern   = "GET /{poolId}/.well-known/jwks.json"
	OpenIDPathPattern = "GET /{poolId}/.well-known/openid-configuration"
)

// baseURL is the URL a request reached the server by.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// withBaseURL gives the API's operations the request's base URL, the
// tokens' default issuer.
func withBaseURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(userpool.ContextWithBaseURL(r.Context(), baseURL(r))))
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// jwksHandler serves a pool's JSON Web Key Set, {"keys": [...]}, as
// Cognito does [OBS the members alg, e, kid, kty, n, use]. A pool that
// does not exist in the server's account is a 404.
func jwksHandler(cfg Config, pools *userpool.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if keys, ok := poolKeys(w, r, cfg, pools); ok {
			writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
		}
	})
}

// poolKeys returns the public keys of the request's pool, or answers 404
// when it does not exist in the server's account and 500 when the store
// fails, and reports false.
func poolKeys(w http.ResponseWriter, r *http.Request, cfg Config, pools *userpool.Service) ([]token.JWK, bool) {
	id := r.PathValue("poolId")
	keys, ok, err := pools.JWKS(r.Context(), cfg.AccountID, id)
	switch {
	case err != nil:
		cfg.Logger.Error("pool keys", "pool", id, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "internal error"})
		return nil, false
	case !ok:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "User pool " + id + " does not exist."})
		return nil, false
	}
	return keys, true
}

// openIDHandler serves a pool's OpenID Provider metadata: the issuer,
// the keys, the algorithm and claims of its ID tokens, and, when the pool
// has a domain, its OAuth 2.0 endpoints, as Cognito's lists them [OBS].
func openIDHandler(cfg Config, pools *userpool.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := poolKeys(w, r, cfg, pools); !ok {
			return
		}
		ctx := userpool.ContextWithBaseURL(r.Context(), baseURL(r))
		iss := pools.Issuer(ctx, r.PathValue("poolId"))
		d, err := pools.OAuthEndpoints(r.Context(), cfg.AccountID, r.PathValue("poolId"))
		if err != nil {
			cfg.Logger.Error("pool domains", "pool", r.PathValue("poolId"), "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "internal error"})
			return
		}
		doc := map[string]any{
			"issuer":                                iss,
			"jwks_uri":                              iss + "/.well-known/jwks.json",
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported":              []string{"id_token", "token"},
			"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
			"claims_supported":                      []string{"sub", "iss", "aud", "auth_time", "exp", "iat", "token_use", "cognito:username", "email", "email_verified", "phone_number", "phone_number_verified"},
		}
		// With a domain, the OAuth 2.0 endpoints too (oauth2.go).
		oauthDiscovery(doc, baseURL(r), d)
		writeJSON(w, http.StatusOK, doc)
	})
}
