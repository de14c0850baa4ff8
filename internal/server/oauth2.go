package server

import (
	"encoding/json"
	"errors"
	"html"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/userpool"
	"github.com/cognate/cognate/internal/wire/awsjson"
)

// The OAuth 2.0 endpoints of user pool domains, on the API's port
// (docs/research/oauth-facts.md §3). A request reaches a domain in one of
// three ways:
//
//   - by the path prefix /_domain/<domain>/… (e.g.
//     http://localhost:9229/_domain/myprefix/oauth2/token), which needs no
//     DNS or /etc/hosts entry and works with every HTTP client; pool IDs
//     start with a region, never with "_", so the prefix cannot clash
//     with /<poolId>/.well-known/…;
//   - by the Host header <prefix>.auth.<region>.amazoncognito.com, as on
//     AWS (curl --resolve, /etc/hosts), or <domain>.localhost:<port>,
//     which browsers and curl resolve to the loopback address by
//     themselves;
//   - by the Host header of a custom domain (auth.example.com).
//
// Host headers are only looked at for the OAuth paths (/oauth2/…,
// /login, /logout, /error), so the API, S3 and the well-known documents
// keep answering on every host name.

// domainPathPrefix is the path form's prefix.
const domainPathPrefix = "/_domain/"

// maxOAuthBody bounds an OAuth form: ample for any token (a few KB).
const maxOAuthBody = 64 << 10

// oauthPaths are the paths a domain serves.
var oauthPaths = map[string]bool{
	"/oauth2/token": true, "/oauth2/authorize": true, "/oauth2/userInfo": true, "/oauth2/revoke": true,
	"/login": true, "/logout": true, "/error": true, "/feedback": true,
}

// oauthServer serves the domains' endpoints.
type oauthServer struct {
	cfg   Config
	pools *userpool.Service
}

// oauthTarget is the domain a request addressed and what is left of its
// path; base is the URL prefix of the domain's own links (/_domain/<name>
// in the path form, "" otherwise).
type oauthTarget struct {
	region, name, path, base string
}

// target tells whether r addresses a domain.
func oauthTargetOf(r *http.Request) (oauthTarget, bool) {
	if rest, ok := strings.CutPrefix(r.URL.Path, domainPathPrefix); ok {
		name, path, _ := strings.Cut(rest, "/")
		path = "/" + path
		if name == "" || !oauthPaths[path] {
			return oauthTarget{}, false
		}
		return oauthTarget{name: name, path: path, base: domainPathPrefix + name}, true
	}
	if !oauthPaths[r.URL.Path] {
		return oauthTarget{}, false
	}
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if name, ok := strings.CutSuffix(host, ".localhost"); ok && name != "" {
		return oauthTarget{name: name, path: r.URL.Path}, true
	}
	if rest, ok := strings.CutSuffix(host, ".amazoncognito.com"); ok {
		// <prefix>.auth.<region>
		if prefix, region, ok := strings.Cut(rest, ".auth."); ok && !strings.Contains(region, ".") {
			return oauthTarget{region: region, name: prefix, path: r.URL.Path}, true
		}
	}
	if host == "localhost" || net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return oauthTarget{}, false
	}
	return oauthTarget{name: host, path: r.URL.Path}, true // a custom domain, perhaps
}

// serve answers r if it addresses a domain's endpoint and reports whether
// it did.
func (o *oauthServer) serve(w http.ResponseWriter, r *http.Request) bool {
	t, ok := oauthTargetOf(r)
	if !ok {
		return false
	}
	d, err := o.pools.FindDomain(r.Context(), t.region, t.name)
	if errors.Is(err, storage.ErrNotFound) {
		if t.base == "" && !strings.HasSuffix(strings.ToLower(r.Host), ".amazoncognito.com") && !strings.Contains(r.Host, ".localhost") {
			return false // not a custom domain after all: the API's 404
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "invalid_request", "error_description": "No user pool domain " + t.name + "."})
		return true
	}
	if err != nil {
		o.internal(w, "find domain", err)
		return true
	}
	ctx := userpool.ContextWithBaseURL(r.Context(), issuerBase(r))
	ctx = api.WithCaller(ctx, api.Caller{SourceIP: clientIP(r), UserAgent: r.UserAgent()})
	r = r.WithContext(ctx)
	switch t.path {
	case "/oauth2/token":
		o.token(w, r, d)
	case "/oauth2/authorize":
		o.authorize(w, r, d, t)
	case "/login":
		o.login(w, r, d, t)
	case "/oauth2/userInfo":
		o.userInfo(w, r, d)
	case "/oauth2/revoke":
		o.revoke(w, r, d)
	case "/logout":
		o.logout(w, r, d, t)
	case "/feedback":
		o.feedback(w, r, d)
	case "/error":
		o.page(w, http.StatusBadRequest, "Error", "An error was encountered with the requested page: "+r.URL.Query().Get("error"))
	}
	return true
}

// issuerBase is the base of the tokens' iss for a domain request: the
// request's URL, without the domain label of <domain>.localhost, so that
// iss is the one the API's tokens carry.
func issuerBase(r *http.Request) string {
	host := r.Host
	if h, port, err := net.SplitHostPort(host); err == nil && strings.HasSuffix(strings.ToLower(h), ".localhost") {
		host = net.JoinHostPort("localhost", port)
	} else if strings.HasSuffix(strings.ToLower(host), ".localhost") {
		host = "localhost"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + host
}

func clientIP(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

func (o *oauthServer) internal(w http.ResponseWriter, what string, err error) {
	o.cfg.Logger.Error("oauth2 "+what, "err", err)
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
}

// oauthError answers err: an OAuth error as {"error", "error_description"}
// with its status (Cognito's bodies have "error" only [DOC]; the
// description is Cognate's help), anything else as a 500.
func (o *oauthServer) oauthError(w http.ResponseWriter, what string, err error) {
	var oe *userpool.OAuthError
	if errors.As(err, &oe) {
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, oe.Status, map[string]string{"error": oe.Code, "error_description": oe.Description})
		return
	}
	o.internal(w, what, err)
}

func badRequest(code, description string) *userpool.OAuthError {
	return &userpool.OAuthError{Code: code, Status: http.StatusBadRequest, Description: description}
}

// readForm parses an application/x-www-form-urlencoded body of at most
// maxOAuthBody bytes into values that each appear once (RFC 6749 §3.2:
// "Request and response parameters MUST NOT be included more than once").
func readForm(r *http.Request) (url.Values, *userpool.OAuthError) {
	if r.Method != http.MethodPost {
		return nil, badRequest(userpool.ErrInvalidRequest, "Use POST.")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		// "Content-Type must be application/x-www-form-urlencoded" [DOC].
		return nil, badRequest(userpool.ErrInvalidRequest, "Content-Type must be application/x-www-form-urlencoded.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxOAuthBody+1))
	if err != nil || len(body) > maxOAuthBody {
		return nil, badRequest(userpool.ErrInvalidRequest, "The request body is too large or unreadable.")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest(userpool.ErrInvalidRequest, "The request body is not a valid form.")
	}
	for k, v := range form {
		if len(v) > 1 {
			return nil, badRequest(userpool.ErrInvalidRequest, "Parameter "+k+" is repeated.")
		}
	}
	return form, nil
}

// parseTokenRequest reads a token (or revocation) request: its form and
// its client authentication, HTTP Basic (client_secret_basic: the id and
// secret form-encoded, RFC 6749 §2.3.1) or client_id and client_secret in
// the form (client_secret_post) [DOC "Token endpoint"]; not both.
func parseTokenRequest(r *http.Request) (userpool.TokenRequest, url.Values, *userpool.OAuthError) {
	form, oe := readForm(r)
	if oe != nil {
		return userpool.TokenRequest{}, nil, oe
	}
	tr := userpool.TokenRequest{
		GrantType: form.Get("grant_type"), ClientID: form.Get("client_id"), ClientSecret: form.Get("client_secret"),
		Scope: form.Get("scope"), Code: form.Get("code"), RedirectURI: form.Get("redirect_uri"),
		CodeVerifier: form.Get("code_verifier"), RefreshToken: form.Get("refresh_token"),
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		user, pass, ok := r.BasicAuth()
		if !ok {
			return tr, nil, &userpool.OAuthError{Code: userpool.ErrInvalidClient, Status: http.StatusBadRequest, Description: "The Authorization header is not HTTP Basic."}
		}
		id, err1 := url.QueryUnescape(user)
		secret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return tr, nil, badRequest(userpool.ErrInvalidClient, "The Authorization header is not form-encoded.")
		}
		if tr.ClientSecret != "" {
			return tr, nil, badRequest(userpool.ErrInvalidRequest, "Authenticate the client one way: HTTP Basic or client_secret.")
		}
		if tr.ClientID != "" && tr.ClientID != id {
			return tr, nil, badRequest(userpool.ErrInvalidClient, "client_id differs from the HTTP Basic user.")
		}
		tr.ClientID, tr.ClientSecret = id, secret
	}
	return tr, form, nil
}

// token is POST /oauth2/token.
func (o *oauthServer) token(w http.ResponseWriter, r *http.Request, d *storage.Domain) {
	tr, _, oe := parseTokenRequest(r)
	if oe != nil {
		o.oauthError(w, "token", oe)
		return
	}
	res, err := o.pools.OAuthToken(r.Context(), d, tr)
	if err != nil {
		o.oauthError(w, "token", err)
		return
	}
	out := map[string]any{"access_token": res.AccessToken, "expires_in": res.ExpiresIn, "token_type": "Bearer"}
	if res.IDToken != "" {
		out["id_token"] = res.IDToken
	}
	if res.RefreshToken != "" {
		out["refresh_token"] = res.RefreshToken
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, out)
}

func authorizeRequest(q url.Values) userpool.AuthorizeRequest {
	return userpool.AuthorizeRequest{
		ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), ResponseType: q.Get("response_type"),
		Scope: q.Get("scope"), State: q.Get("state"), CodeChallenge: q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"), Nonce: q.Get("nonce"),
	}
}

// redirectWith sends the browser to uri with params added to its query.
func redirectWith(w http.ResponseWriter, r *http.Request, uri string, params url.Values) {
	u, err := url.Parse(uri)
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	q := u.Query()
	for k, v := range params {
		if len(v) > 0 && v[0] != "" {
			q.Set(k, v[0])
		}
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// authorizeFailed answers a refused authorization request: an error
// page when the client or redirect URI is wrong, else a redirect to
// redirect_uri with error and state [DOC "Authorize endpoint"].
func (o *oauthServer) authorizeFailed(w http.ResponseWriter, r *http.Request, ar userpool.AuthorizeRequest, redirect bool, err error) {
	var oe *userpool.OAuthError
	if !errors.As(err, &oe) {
		o.internal(w, "authorize", err)
		return
	}
	if !redirect {
		o.page(w, http.StatusBadRequest, "Error", oe.Code+": "+oe.Description)
		return
	}
	redirectWith(w, r, ar.RedirectURI, url.Values{"error": {oe.Code}, "error_description": {oe.Description}, "state": {ar.State}})
}

// authorize is GET /oauth2/authorize: it checks the request and sends the
// browser to the hosted sign-in page with the same parameters, as
// Cognito's does.
func (o *oauthServer) authorize(w http.ResponseWriter, r *http.Request, d *storage.Domain, t oauthTarget) {
	ar := authorizeRequest(r.URL.Query())
	if _, redirect, err := o.pools.CheckAuthorize(r.Context(), d, ar); err != nil {
		o.authorizeFailed(w, r, ar, redirect, err)
		return
	}
	http.Redirect(w, r, t.base+"/login?"+r.URL.RawQuery, http.StatusFound)
}

// The hosted pages are built with html.EscapeString rather than
// html/template: the template package's reflection keeps every exported
// method of the program in the binary (7 MB here) and added 3 MiB to the
// idle RSS, against its < 25 MiB target. Every value put in a page is
// escaped; attribute values are double-quoted.

// loginPage is the hosted sign-in form.
func loginPage(action, message, username string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<h1>Sign in</h1>
`)
	if message != "" {
		b.WriteString(`<p role="alert">` + html.EscapeString(message) + "</p>\n")
	}
	b.WriteString(`<form method="post" action="` + html.EscapeString(action) + `">
<label>Username <input name="username" autocomplete="username" value="` + html.EscapeString(username) + `"></label><br>
<label>Password <input name="password" type="password" autocomplete="current-password"></label><br>
<button type="submit">Sign in</button>
</form>
<p><small>Cognate hosted sign-in: username and password only (no sign-up, no MFA, no new-password step).</small></p>
</body></html>
`)
	return b.String()
}

// messagePage is a page with a title and one message.
func messagePage(title, message string) string {
	t := html.EscapeString(title)
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>` + t + `</title></head>
<body><h1>` + t + `</h1><p role="alert">` + html.EscapeString(message) + `</p></body></html>
`
}

func (o *oauthServer) page(w http.ResponseWriter, status int, title, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, messagePage(title, message))
}

// login is the hosted sign-in page: GET shows the form, POST checks the
// user's password and redirects to redirect_uri with a code and state.
// The authorization parameters stay in the URL's query.
func (o *oauthServer) login(w http.ResponseWriter, r *http.Request, d *storage.Domain, t oauthTarget) {
	ar := authorizeRequest(r.URL.Query())
	action := t.base + "/login?" + r.URL.RawQuery
	showForm := func(status int, message, username string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, loginPage(action, message, username))
	}
	switch r.Method {
	case http.MethodGet:
		if _, redirect, err := o.pools.CheckAuthorize(r.Context(), d, ar); err != nil {
			o.authorizeFailed(w, r, ar, redirect, err)
			return
		}
		showForm(http.StatusOK, "", "")
	case http.MethodPost:
		form, oe := readForm(r)
		if oe != nil {
			o.page(w, http.StatusBadRequest, "Error", oe.Description)
			return
		}
		username := form.Get("username")
		code, err := o.pools.HostedSignIn(r.Context(), d, ar, username, form.Get("password"))
		var se *userpool.SignInError
		var oerr *userpool.OAuthError
		switch {
		case errors.As(err, &se) && se.Retry:
			showForm(http.StatusOK, se.Message, username)
		case errors.As(err, &se):
			o.page(w, http.StatusBadRequest, "Sign-in not supported here", se.Message)
		case errors.As(err, &oerr):
			_, redirect, _ := o.pools.CheckAuthorize(r.Context(), d, ar)
			o.authorizeFailed(w, r, ar, redirect, err)
		case err != nil:
			o.internal(w, "login", err)
		default:
			redirectWith(w, r, ar.RedirectURI, url.Values{"code": {code}, "state": {ar.State}})
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		o.page(w, http.StatusMethodNotAllowed, "Error", "Use GET or POST.")
	}
}

// feedback is the page of the one-click links in threat protection's
// account-takeover emails (userpool.feedbackLinks; the form is Cognate's,
// AWS's is not published): it records the answer as
// UpdateAuthEventFeedback does, with the email's feedback token.
func (o *oauthServer) feedback(w http.ResponseWriter, r *http.Request, d *storage.Domain) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		o.page(w, http.StatusMethodNotAllowed, "Error", "Use GET.")
		return
	}
	q := r.URL.Query()
	err := o.pools.DomainFeedback(r.Context(), d, q.Get("user_pool_id"), q.Get("username"), q.Get("event_id"), q.Get("feedback_token"), q.Get("feedback_value"))
	var ae *api.Error
	switch {
	case err == nil:
		o.page(w, http.StatusOK, "Thank you", "Your answer about this sign-in was recorded.")
	case errors.As(err, &ae):
		o.page(w, http.StatusBadRequest, "Error", ae.Message)
	default:
		o.internal(w, "feedback", err)
	}
}

// userInfo is GET/POST /oauth2/userInfo with a bearer access token
// [DOC "UserInfo endpoint"]. A refused token is 401 with the
// WWW-Authenticate header Cognito sends.
func (o *oauthServer) userInfo(w http.ResponseWriter, r *http.Request, d *storage.Domain) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": userpool.ErrInvalidRequest})
		return
	}
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		o.oauthError(w, "userInfo", badRequest(userpool.ErrInvalidRequest, "The Authorization header must carry a Bearer access token."))
		return
	}
	attrs, err := o.pools.UserInfo(r.Context(), d, strings.TrimSpace(raw))
	var oe *userpool.OAuthError
	if errors.As(err, &oe) && oe.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+oe.Description+`"`)
	}
	if err != nil {
		o.oauthError(w, "userInfo", err)
		return
	}
	writeJSON(w, http.StatusOK, attrs)
}

// revoke is POST /oauth2/revoke [DOC "Revoke endpoint"]: 200 with an
// empty body.
func (o *oauthServer) revoke(w http.ResponseWriter, r *http.Request, d *storage.Domain) {
	tr, form, oe := parseTokenRequest(r)
	if oe != nil {
		o.oauthError(w, "revoke", oe)
		return
	}
	if err := o.pools.RevokeOAuthToken(r.Context(), d, form.Get("token"), tr.ClientID, tr.ClientSecret); err != nil {
		o.oauthError(w, "revoke", err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// logout is GET /logout: with logout_uri, a redirect there; with
// redirect_uri and response_type, the sign-in page again [DOC "Logout
// endpoint"]. Cognate keeps no session cookie, so nothing else ends.
func (o *oauthServer) logout(w http.ResponseWriter, r *http.Request, d *storage.Domain, t oauthTarget) {
	q := r.URL.Query()
	if q.Get("logout_uri") == "" && q.Get("redirect_uri") != "" {
		ar := authorizeRequest(q)
		if _, redirect, err := o.pools.CheckAuthorize(r.Context(), d, ar); err != nil {
			o.authorizeFailed(w, r, ar, redirect, err)
			return
		}
		http.Redirect(w, r, t.base+"/login?"+r.URL.RawQuery, http.StatusFound)
		return
	}
	to, err := o.pools.LogoutRedirect(r.Context(), d, q.Get("client_id"), q.Get("logout_uri"))
	var oe *userpool.OAuthError
	if errors.As(err, &oe) {
		o.page(w, http.StatusBadRequest, "Error", oe.Description)
		return
	}
	if err != nil {
		o.internal(w, "logout", err)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// oauthDiscovery adds a pool's OAuth endpoints to its OpenID discovery
// document when it has a domain, in the path form, which works without
// DNS (Cognito lists https://<domain>/oauth2/…).
func oauthDiscovery(doc map[string]any, base string, d *storage.Domain) {
	if d == nil {
		return
	}
	root := base + domainPathPrefix + d.Name
	doc["authorization_endpoint"] = root + "/oauth2/authorize"
	doc["token_endpoint"] = root + "/oauth2/token"
	doc["userinfo_endpoint"] = root + "/oauth2/userInfo"
	doc["revocation_endpoint"] = root + "/oauth2/revoke"
	doc["grant_types_supported"] = []string{"authorization_code", "client_credentials", "refresh_token"}
	doc["code_challenge_methods_supported"] = []string{"S256", "plain"}
	doc["token_endpoint_auth_methods_supported"] = []string{"client_secret_basic", "client_secret_post"}
}

// domainShapes are the inputs whose Domain may be a custom domain.
var domainShapes = map[string]bool{
	"CreateUserPoolDomainRequest": true, "UpdateUserPoolDomainRequest": true,
	"DescribeUserPoolDomainRequest": true, "DeleteUserPoolDomainRequest": true,
}

// withDomainNames lets custom domains through the model's checks. The
// model gives Domain the prefix pattern ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$,
// which a fully qualified name (auth.example.com) breaks, yet AWS takes
// custom domains [DOC CreateUserPoolDomain; OBS
// terraform-linters/tflint-ruleset-aws#156]: the service checks a prefix
// itself, with its own text (userpool/domains.go). So a Domain of up to
// 253 characters is validated as a placeholder prefix and put back
// afterwards.
func withDomainNames(svc *awsjson.Service) *awsjson.Service {
	validate := svc.Validate
	svc.Validate = func(shape string, body []byte) ([]byte, error) {
		if !domainShapes[shape] {
			return validate(shape, body)
		}
		var in map[string]any
		if json.Unmarshal(body, &in) != nil {
			return validate(shape, body)
		}
		name, ok := in["Domain"].(string)
		if !ok || name == "" || len(name) > 253 {
			return validate(shape, body)
		}
		in["Domain"] = "a"
		placeholder, _ := json.Marshal(in) // decoded JSON re-encodes
		clean, err := validate(shape, placeholder)
		if err != nil {
			return nil, err
		}
		var out map[string]any
		if err := json.Unmarshal(clean, &out); err != nil {
			return nil, err
		}
		out["Domain"] = name
		return json.Marshal(out)
	}
	return svc
}
