package userpool

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"github.com/cognate/cognate/internal/risk"
	"log/slog"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/storage"
)

// Service implements the user-pool operations on a Store.
type Service struct {
	store storage.Backend
	now   func() time.Time
	newID func(region string) string
	log   *slog.Logger
	// reads caches decoded pool settings for DescribeUserPool; writes
	// always decode afresh.
	reads *configCache
	// users keeps each pool's number of users for DescribeUserPool
	// (usercount.go).
	users *userCounts
	// Messages (delivery.go): the deliverer, the hook told of stored
	// export records, and the COGNITO_DEFAULT email quota.
	mail         *messaging.Deliverer
	onDeliveries func(storage.Deliveries)
	quota        *emailQuota
	// hash is the argon2id cost of new password hashes.
	hash HashParams
	// logGroups checks the CloudWatch Logs destinations of log delivery
	// configurations (logdestination.go).
	logGroups LogGroupChecker
	// keys caches the pools' token signing keys and holds the configured
	// issuer (tokens.go).
	keys signingKeys
	// highRisk are the address ranges threat protection rates High
	// (threat.go).
	highRisk risk.Ranges
	// buckets checks S3 log destinations (logdestination.go).
	buckets BucketChecker
	// streams checks Firehose log destinations (logdestination.go).
	streams StreamChecker
}

// Option configures a Service.
type Option func(*Service)

// WithHighRiskRanges sets the address ranges whose sign-ins threat
// protection rates High (risk.Assess).
func WithHighRiskRanges(r risk.Ranges) Option { return func(s *Service) { s.highRisk = r } }

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithIDs replaces the random pool-ID generator (tests).
func WithIDs(newID func(region string) string) Option { return func(s *Service) { s.newID = newID } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// New returns a Service on store.
func New(store storage.Backend, opts ...Option) *Service {
	s := &Service{store: store, now: time.Now, newID: NewPoolID, log: slog.New(slog.DiscardHandler), reads: newConfigCache(1024), users: newUserCounts(1024),
		quota: newEmailQuota(defaultEmailQuota), hash: HashFast}
	for _, o := range opts {
		o(s)
	}
	if s.mail == nil {
		s.mail, _ = messaging.New(messaging.Config{}) // no relay: cannot fail
	}
	if s.logGroups == nil {
		s.logGroups = BuiltinLogGroups{Store: store}
	}
	if s.highRisk == nil {
		s.highRisk, _ = risk.ParseRanges(DefaultHighRiskRanges) // valid CIDR blocks
	}
	return s
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewPoolID returns `<region>_<9 alphanumerics>`, the form of every real
// pool ID (us-west-2_ywDJHlIfU) [OBS spec §10].
func NewPoolID(region string) string {
	return region + "_" + randomString(9)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// scope returns where the caller's resources live.
func scope(ctx context.Context) (storage.Scope, error) {
	c, ok := api.CallerFrom(ctx)
	if !ok || c.AccountID == "" || c.Region == "" {
		return storage.Scope{}, errors.New("userpool: request has no caller")
	}
	return storage.Scope{AccountID: c.AccountID, Region: c.Region}, nil
}

func poolKey(ctx context.Context, id *string) (storage.PoolKey, error) {
	sc, err := scope(ctx)
	if err != nil {
		return storage.PoolKey{}, err
	}
	return storage.PoolKey{Scope: sc, ID: deref(id)}, nil
}

// poolNotFound is AWS's answer for a pool that does not exist in the
// caller's account and region [OBS spec §10].
func poolNotFound(id string) *api.Error {
	return api.ResourceNotFound("User pool %s does not exist.", id)
}

// storeError maps a storage error for pool id to the API's error.
func storeError(id string, err error) error {
	var ae *api.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return err
	case errors.Is(err, storage.ErrNotFound):
		return poolNotFound(id)
	}
	return fmt.Errorf("user pool %s: %w", id, err)
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
