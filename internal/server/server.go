package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/model"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/userpool"
	"github.com/cognate/cognate/internal/validate"
	"github.com/cognate/cognate/internal/wire/awsjson"
	"github.com/cognate/cognate/internal/wire/sigv4"
)

// Config is what the server needs beyond its store.
type Config struct {
	// AccountID is the account of every resource in permissive mode and of
	// unsigned requests.
	AccountID string
	// Region is the region of unsigned requests (no-auth operations).
	Region string
	// Keys switches on strict SigV4 verification when not nil.
	Keys map[string]sigv4.Key
	// MaxBodyBytes bounds request bodies (0: awsjson.DefaultMaxBodyBytes).
	MaxBodyBytes int64
	Logger       *slog.Logger
	// Now and NewPoolID replace the clock and the ID generator in tests.
	Now       func() time.Time
	NewPoolID func(region string) string
}

// New returns the HTTP handler of the whole service.
func New(cfg Config, store storage.Store) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	opts := []userpool.Option{userpool.WithLogger(cfg.Logger)}
	if cfg.Now != nil {
		opts = append(opts, userpool.WithClock(cfg.Now))
	}
	if cfg.NewPoolID != nil {
		opts = append(opts, userpool.WithIDs(cfg.NewPoolID))
	}
	pools := userpool.New(store, opts...)
	verifier := &sigv4.Verifier{Keys: cfg.Keys, DefaultAccountID: cfg.AccountID, Now: cfg.Now}
	jsonAPI := awsjson.NewHandler(awsjson.Config{
		Auth:             verifier,
		DefaultRegion:    cfg.Region,
		DefaultAccountID: cfg.AccountID,
		MaxBodyBytes:     cfg.MaxBodyBytes,
		Logger:           cfg.Logger,
	}, cognitoService(mount(pools)))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", health)
	mux.Handle("/", jsonAPI)
	return mux
}

// mount binds every operation Cognate implements to its handler. An
// operation of the model that is not listed here answers
// NotImplementedException (HTTP 400) naming it.
func mount(pools *userpool.Service) *api.Handlers {
	return &api.Handlers{
		CreateUserPool:              pools.CreateUserPool,
		DescribeUserPool:            pools.DescribeUserPool,
		UpdateUserPool:              pools.UpdateUserPool,
		DeleteUserPool:              pools.DeleteUserPool,
		ListUserPools:               pools.ListUserPools,
		TagResource:                 pools.TagResource,
		UntagResource:               pools.UntagResource,
		ListTagsForResource:         pools.ListTagsForResource,
		SetLogDeliveryConfiguration: pools.SetLogDeliveryConfiguration,
		GetLogDeliveryConfiguration: pools.GetLogDeliveryConfiguration,
	}
}

// cognitoService describes the cognito-idp API for the JSON layer: every
// operation of the model, bound to h's handlers.
func cognitoService(h *api.Handlers) *awsjson.Service {
	m := model.CognitoIDP()
	endpoints := h.Endpoints()
	ops := make(map[string]*awsjson.Operation, len(m.Operations))
	for _, op := range m.Operations {
		ops[op.Name] = &awsjson.Operation{Name: op.Name, InputShape: op.Input, NoAuth: op.NoAuth, Endpoint: endpoints[op.Name]}
	}
	v := validate.New(m)
	return &awsjson.Service{
		TargetPrefix: m.Metadata.TargetPrefix,
		SigningName:  m.Metadata.SigningName,
		Operations:   ops,
		Validate:     v.Request,
	}
}

func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// Implemented lists the operations mount binds, in model order.
func Implemented() []string {
	endpoints := mount(&userpool.Service{}).Endpoints()
	var names []string
	for _, op := range model.CognitoIDP().Operations {
		if endpoints[op.Name].Call != nil {
			names = append(names, op.Name)
		}
	}
	return names
}
