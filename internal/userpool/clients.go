package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// App clients are kept as the JSON of api.UserPoolClientType, secret
// included, without the members that live in their own columns.

const clientAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newClientID returns 26 lower-case alphanumerics, the form of every app
// client ID (e.g. 1example23456789abcdefghij) [DOC/OBS].
func newClientID() string { return randomFrom(clientAlphabet, 26) }

// newClientSecret returns 51 lower-case alphanumerics, the length of real
// generated secrets [OBS; inferred alphabet].
func newClientSecret() string { return randomFrom(clientAlphabet, 51) }

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[randInt(len(alphabet))]
	}
	return string(b)
}

// clientNotFound is AWS's text [OBS spec §10].
func clientNotFound(id string) error {
	return api.ResourceNotFound("User pool client %s does not exist.", id)
}

// clientSettings are the members CreateUserPoolClient and
// UpdateUserPoolClient share.
type clientSettings struct {
	AccessTokenValidity, IdTokenValidity, RefreshTokenValidity, AuthSessionValidity *int32
	AllowedOAuthFlows, AllowedOAuthScopes, CallbackURLs, LogoutURLs                 []string
	ExplicitAuthFlows, ReadAttributes, WriteAttributes, SupportedIdentityProviders  []string
	AllowedOAuthFlowsUserPoolClient, EnableTokenRevocation, EnablePropagate         *bool
	AnalyticsConfiguration                                                          *api.AnalyticsConfigurationType
	DefaultRedirectURI, PreventUserExistenceErrors                                  *string
	RefreshTokenRotation                                                            *api.RefreshTokenRotationType
	TokenValidityUnits                                                              *api.TokenValidityUnitsType
}

// apply writes the settings into c with the defaults DescribeUserPoolClient
// shows for a client created through the API: RefreshTokenValidity 30,
// TokenValidityUnits {}, AllowedOAuthFlowsUserPoolClient false,
// EnableTokenRevocation true, EnablePropagateAdditionalUserContextData
// false, AuthSessionValidity 3 [DOC idp model: "If you don't include this
// parameter, token revocation is automatically activated", RefreshTokenValidity
// 0 → 30 days, AuthSessionValidity "fixed at 3 minutes" before 2022; the
// echo of the others is OBS from CLI outputs]. Absent lists stay absent:
// "Amazon Cognito only populates ReadAttributes in the API response if you
// have specified your own" [DOC].
func (st clientSettings) apply(c *api.UserPoolClientType) error {
	if v := deref(st.AuthSessionValidity); st.AuthSessionValidity != nil && (v < 3 || v > 15) {
		// Inferred text; the range is documented [DOC].
		return api.InvalidParameter("AuthSessionValidity must be between 3 and 15 minutes.")
	}
	c.AccessTokenValidity, c.IdTokenValidity = st.AccessTokenValidity, st.IdTokenValidity
	c.RefreshTokenValidity = new(int32(30))
	if deref(st.RefreshTokenValidity) != 0 {
		c.RefreshTokenValidity = new(*st.RefreshTokenValidity)
	}
	c.AuthSessionValidity = new(int32(3))
	if st.AuthSessionValidity != nil {
		c.AuthSessionValidity = new(*st.AuthSessionValidity)
	}
	c.TokenValidityUnits = &api.TokenValidityUnitsType{}
	if st.TokenValidityUnits != nil {
		c.TokenValidityUnits = st.TokenValidityUnits
	}
	c.AllowedOAuthFlows, c.AllowedOAuthScopes = st.AllowedOAuthFlows, st.AllowedOAuthScopes
	c.CallbackURLs, c.LogoutURLs = st.CallbackURLs, st.LogoutURLs
	c.ExplicitAuthFlows, c.SupportedIdentityProviders = st.ExplicitAuthFlows, st.SupportedIdentityProviders
	c.ReadAttributes, c.WriteAttributes = st.ReadAttributes, st.WriteAttributes
	c.AllowedOAuthFlowsUserPoolClient = new(deref(st.AllowedOAuthFlowsUserPoolClient))
	c.EnableTokenRevocation = new(st.EnableTokenRevocation == nil || *st.EnableTokenRevocation)
	c.EnablePropagateAdditionalUserContextData = new(deref(st.EnablePropagate))
	c.AnalyticsConfiguration = st.AnalyticsConfiguration
	c.DefaultRedirectURI = st.DefaultRedirectURI
	c.PreventUserExistenceErrors = st.PreventUserExistenceErrors
	c.RefreshTokenRotation = st.RefreshTokenRotation
	if deref(c.AllowedOAuthFlowsUserPoolClient) && len(c.AllowedOAuthFlows) == 0 {
		// Inferred text, in the style of InvalidOAuthFlowException.
		return api.InvalidOAuthFlow("AllowedOAuthFlows are required when AllowedOAuthFlowsUserPoolClient is true.")
	}
	return nil
}

func encodeClient(c *api.UserPoolClientType) []byte {
	cp := *c
	cp.UserPoolId, cp.ClientId, cp.ClientName, cp.CreationDate, cp.LastModifiedDate = nil, nil, nil, nil, nil
	b, _ := json.Marshal(&cp) // generated types always marshal
	return b
}

func decodeClient(rec *storage.AppClient) (*api.UserPoolClientType, error) {
	var c api.UserPoolClientType
	if err := json.Unmarshal(rec.Data, &c); err != nil {
		return nil, fmt.Errorf("decode app client %s: %w", rec.ClientID, err)
	}
	c.UserPoolId, c.ClientId, c.ClientName = new(rec.PoolID), new(rec.ClientID), new(rec.Name)
	c.CreationDate, c.LastModifiedDate = api.NewTime(rec.CreatedAt), api.NewTime(rec.UpdatedAt)
	return &c, nil
}

// CreateUserPoolClient creates an app client, with a generated secret when
// GenerateSecret is true or the one given in ClientSecret [DOC].
func (s *Service) CreateUserPoolClient(ctx context.Context, in *api.CreateUserPoolClientRequest) (*api.CreateUserPoolClientResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.GetUserPool(ctx, key); err != nil {
		return nil, storeError(key.ID, err)
	}
	c := &api.UserPoolClientType{}
	st := clientSettings{
		AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity, RefreshTokenValidity: in.RefreshTokenValidity,
		AuthSessionValidity: in.AuthSessionValidity, AllowedOAuthFlows: in.AllowedOAuthFlows, AllowedOAuthScopes: in.AllowedOAuthScopes,
		CallbackURLs: in.CallbackURLs, LogoutURLs: in.LogoutURLs, ExplicitAuthFlows: in.ExplicitAuthFlows,
		ReadAttributes: in.ReadAttributes, WriteAttributes: in.WriteAttributes, SupportedIdentityProviders: in.SupportedIdentityProviders,
		AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient, EnableTokenRevocation: in.EnableTokenRevocation,
		EnablePropagate: in.EnablePropagateAdditionalUserContextData, AnalyticsConfiguration: in.AnalyticsConfiguration,
		DefaultRedirectURI: in.DefaultRedirectURI, PreventUserExistenceErrors: in.PreventUserExistenceErrors,
		RefreshTokenRotation: in.RefreshTokenRotation, TokenValidityUnits: in.TokenValidityUnits,
	}
	if err := st.apply(c); err != nil {
		return nil, err
	}
	if err := s.checkAllowedScopes(ctx, key, in.AllowedOAuthScopes); err != nil {
		return nil, err
	}
	switch {
	case in.ClientSecret != nil:
		if deref(in.GenerateSecret) {
			// "You cannot specify both GenerateSecret as true and provide
			// a ClientSecret value" [DOC idp model]; the text is inferred.
			return nil, api.InvalidParameter("You cannot specify both GenerateSecret as true and provide a ClientSecret value.")
		}
		c.ClientSecret = new(*in.ClientSecret)
	case deref(in.GenerateSecret):
		c.ClientSecret = new(newClientSecret())
	}
	if err := checkClientCredentialsFlow(c); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	rec := &storage.AppClient{AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, Name: deref(in.ClientName), CreatedAt: now, UpdatedAt: now, Data: encodeClient(c)}
	for attempt := 0; ; attempt++ {
		rec.ClientID = newClientID()
		err = s.store.CreateAppClient(ctx, rec)
		if !errors.Is(err, storage.ErrAlreadyExists) || attempt == 4 {
			break
		}
	}
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	out, err := decodeClient(rec)
	if err != nil {
		return nil, err
	}
	return &api.CreateUserPoolClientResponse{UserPoolClient: out}, nil
}

// getClient reads a client of a pool, with AWS's errors.
func (s *Service) getClient(ctx context.Context, poolID, clientID *string) (storage.AppClientKey, *storage.AppClient, error) {
	pk, err := poolKey(ctx, poolID)
	if err != nil {
		return storage.AppClientKey{}, nil, err
	}
	key := storage.AppClientKey{PoolKey: pk, ClientID: deref(clientID)}
	rec, err := s.store.GetAppClient(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		if _, perr := s.store.GetUserPool(ctx, pk); perr != nil {
			return key, nil, storeError(pk.ID, perr)
		}
		return key, nil, clientNotFound(key.ClientID)
	}
	if err != nil {
		return key, nil, err
	}
	return key, rec, nil
}

// tokenClient reads and decodes a client of the pool a token names; the
// pool exists, so a missing client is the client's ResourceNotFound.
func (s *Service) tokenClient(ctx context.Context, key storage.AppClientKey) (*api.UserPoolClientType, error) {
	rec, err := s.store.GetAppClient(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, clientNotFound(key.ClientID)
	}
	if err != nil {
		return nil, err
	}
	return decodeClient(rec)
}

// DescribeUserPoolClient returns a client, its secret included [DOC].
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *api.DescribeUserPoolClientRequest) (*api.DescribeUserPoolClientResponse, error) {
	_, rec, err := s.getClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return nil, err
	}
	return &api.DescribeUserPoolClientResponse{UserPoolClient: c}, nil
}

// UpdateUserPoolClient replaces a client's settings; what the request
// leaves out returns to its default [DOC "Updating user pool and app
// client configuration"], except the name and the secret, which stay
// (inferred: neither can be reset to a default).
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *api.UpdateUserPoolClientRequest) (*api.UpdateUserPoolClientResponse, error) {
	key, _, err := s.getClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	st := clientSettings{
		AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity, RefreshTokenValidity: in.RefreshTokenValidity,
		AuthSessionValidity: in.AuthSessionValidity, AllowedOAuthFlows: in.AllowedOAuthFlows, AllowedOAuthScopes: in.AllowedOAuthScopes,
		CallbackURLs: in.CallbackURLs, LogoutURLs: in.LogoutURLs, ExplicitAuthFlows: in.ExplicitAuthFlows,
		ReadAttributes: in.ReadAttributes, WriteAttributes: in.WriteAttributes, SupportedIdentityProviders: in.SupportedIdentityProviders,
		AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient, EnableTokenRevocation: in.EnableTokenRevocation,
		EnablePropagate: in.EnablePropagateAdditionalUserContextData, AnalyticsConfiguration: in.AnalyticsConfiguration,
		DefaultRedirectURI: in.DefaultRedirectURI, PreventUserExistenceErrors: in.PreventUserExistenceErrors,
		RefreshTokenRotation: in.RefreshTokenRotation, TokenValidityUnits: in.TokenValidityUnits,
	}
	if err := s.checkAllowedScopes(ctx, key.PoolKey, in.AllowedOAuthScopes); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	rec, err := s.store.UpdateAppClient(ctx, key, func(rec *storage.AppClient) error {
		old, err := decodeClient(rec)
		if err != nil {
			return err
		}
		c := &api.UserPoolClientType{ClientSecret: old.ClientSecret}
		if err := st.apply(c); err != nil {
			return err
		}
		if err := checkClientCredentialsFlow(c); err != nil {
			return err
		}
		if in.ClientName != nil {
			rec.Name = *in.ClientName
		}
		rec.Data, rec.UpdatedAt = encodeClient(c), now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, clientNotFound(key.ClientID)
	}
	if err != nil {
		return nil, err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return nil, err
	}
	return &api.UpdateUserPoolClientResponse{UserPoolClient: c}, nil
}

// DeleteUserPoolClient deletes a client.
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *api.DeleteUserPoolClientRequest) (*api.Empty, error) {
	key, _, err := s.getClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteAppClient(ctx, key); errors.Is(err, storage.ErrNotFound) {
		return nil, clientNotFound(key.ClientID)
	} else if err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// ListUserPoolClients lists a pool's clients in creation order,
// MaxResults (1..60, default 60 inferred) at a time.
func (s *Service) ListUserPoolClients(ctx context.Context, in *api.ListUserPoolClientsRequest) (*api.ListUserPoolClientsResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	recs, next, err := s.store.ListAppClients(ctx, key, storage.Page{Cursor: deref(in.NextToken), Limit: int(deref(in.MaxResults))})
	if errors.Is(err, storage.ErrInvalidCursor) {
		// Inferred text, as ListUserPools'.
		return nil, api.InvalidParameter("Invalid NextToken: %s", deref(in.NextToken))
	}
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	out := &api.ListUserPoolClientsResponse{UserPoolClients: make([]api.UserPoolClientDescription, 0, len(recs))}
	for _, rec := range recs {
		out.UserPoolClients = append(out.UserPoolClients, api.UserPoolClientDescription{
			ClientId: new(rec.ClientID), ClientName: new(rec.Name), UserPoolId: new(rec.PoolID),
		})
	}
	if next != "" {
		out.NextToken = new(next)
	}
	return out, nil
}

// clientPool authenticates a client-side call: the client must exist in
// the caller's scope, and when it has a secret the SECRET_HASH of the
// username must match [DOC; texts OBS amplify-android#2504,
// ArranJacques/laravel-aws-cognito-auth#26].
func (s *Service) clientPool(ctx context.Context, clientID, hash *string, username string) (*poolView, *api.UserPoolClientType, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	id := deref(clientID)
	rec, err := s.store.FindAppClient(ctx, sc, id)
	if c, _ := api.CallerFrom(ctx); errors.Is(err, storage.ErrNotFound) && !c.Signed {
		// SDKs send these operations unsigned [DOC model authtype none]:
		// the region is the endpoint's, which Cognate cannot tell, so a
		// client not in the server's region is looked up in every region
		// of the account.
		rec, err = s.store.FindAppClient(ctx, storage.Scope{AccountID: sc.AccountID}, id)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, clientNotFound(id)
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := decodeClient(rec)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSecretHash(c, hash, username); err != nil {
		return nil, nil, err
	}
	p, err := s.loadPool(ctx, storage.PoolKey{Scope: storage.Scope{AccountID: rec.AccountID, Region: rec.Region}, ID: rec.PoolID})
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// checkClientCredentialsFlow: the client_credentials grant is for
// confidential clients only, and AWS refuses it to a client without a
// secret with InvalidOAuthFlowException [DOC "client credentials"; text
// OBS, widely quoted].
func checkClientCredentialsFlow(c *api.UserPoolClientType) error {
	if contains(c.AllowedOAuthFlows, "client_credentials") && deref(c.ClientSecret) == "" {
		return api.InvalidOAuthFlow("client_credentials flow can not be selected if client does not have a client secret.")
	}
	return nil
}
