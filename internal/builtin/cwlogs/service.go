package cwlogs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// Service implements the CloudWatch Logs operations on a LogStore.
type Service struct {
	store storage.LogStore
	now   func() time.Time
	log   *slog.Logger
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// New returns a Service on store.
func New(store storage.LogStore, opts ...Option) *Service {
	s := &Service{store: store, now: time.Now, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// nowMillis is the current time in epoch milliseconds.
func (s *Service) nowMillis() int64 { return s.now().UnixMilli() }

const (
	millisPerHour = int64(time.Hour / time.Millisecond)
	millisPerDay  = 24 * millisPerHour
)

// Error texts. Sources: docs/research/issue4-facts.md §1 (OBS = seen on
// live AWS); "inferred" marks Cognate's own wording where AWS's is not
// public.
const (
	// [OBS grycap/scar#72, osperlabs/logbeam#7, lambci/docker-lambda#117]
	textGroupNotFound = "The specified log group does not exist."
	// [OBS mentum/lawgs#11, aws-logging-dotnet#134]
	textStreamNotFound = "The specified log stream does not exist."
	// No full stop [OBS grycap/scar#82, anomalyco/sst#3767].
	textGroupExists = "The specified log group already exists"
	// No full stop [OBS cloudwatchlogs-ros1#1, aws-logging-dotnet#244].
	textStreamExists = "The specified log stream already exists"
	// [OBS boto/boto3#1467, FilterLogEvents]; used for every token.
	textInvalidToken = "The specified nextToken is invalid."
	// [OBS aws-solutions/application-monitoring-with-amazon-cloudwatch#11,
	// claranet/terraform-aws-lambda#67]
	textReservedPrefix = "Log groups starting with AWS/ are reserved for AWS."
	// Inferred, in the words of the API reference.
	textNameOrIdentifier = "You must include either logGroupIdentifier or logGroupName, but not both."
)

// scope returns where the caller's resources live.
func scope(ctx context.Context) (storage.Scope, error) {
	c, ok := api.CallerFrom(ctx)
	if !ok || c.AccountID == "" || c.Region == "" {
		return storage.Scope{}, errors.New("cwlogs: request has no caller")
	}
	return storage.Scope{AccountID: c.AccountID, Region: c.Region}, nil
}

func groupKey(ctx context.Context, name *string) (storage.LogGroupKey, error) {
	sc, err := scope(ctx)
	if err != nil {
		return storage.LogGroupKey{}, err
	}
	return storage.LogGroupKey{Scope: sc, Name: deref(name)}, nil
}

// groupKeyOf resolves the logGroupName / logGroupIdentifier pair that
// DescribeLogStreams, GetLogEvents and FilterLogEvents take: exactly one of
// them [DOC]. An identifier is a name or a log group ARN without `:*`.
func groupKeyOf(ctx context.Context, name, identifier *string) (storage.LogGroupKey, error) {
	sc, err := scope(ctx)
	if err != nil {
		return storage.LogGroupKey{}, err
	}
	switch {
	case (name == nil) == (identifier == nil):
		return storage.LogGroupKey{}, logsapi.InvalidParameter(textNameOrIdentifier)
	case name != nil:
		return storage.LogGroupKey{Scope: sc, Name: *name}, nil
	}
	groupName, err := resolveIdentifier(sc, *identifier)
	if err != nil {
		return storage.LogGroupKey{}, err
	}
	return storage.LogGroupKey{Scope: sc, Name: groupName}, nil
}

// resolveIdentifier returns the group name a logGroupIdentifier names in
// scope sc. An ARN of another account or region names a group the caller
// cannot see: ResourceNotFoundException, as for a missing group (inferred).
func resolveIdentifier(sc storage.Scope, identifier string) (string, error) {
	if !strings.HasPrefix(identifier, "arn:") {
		return identifier, nil
	}
	a, ok := awsarn.Parse(identifier)
	name, isGroup := strings.CutPrefix(a.Resource, "log-group:")
	if !ok || a.Service != "logs" || !isGroup || name == "" || strings.Contains(name, ":") {
		// Inferred text.
		return "", logsapi.InvalidParameter("%s is not the ARN of a log group.", identifier)
	}
	if a.Account != sc.AccountID || a.Region != sc.Region {
		return "", logsapi.ResourceNotFound(textGroupNotFound)
	}
	return name, nil
}

// storeError maps a storage error to the API's error.
func storeError(err error) error {
	var ae *api.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return err
	case errors.Is(err, storage.ErrLogStreamNotFound):
		return logsapi.ResourceNotFound(textStreamNotFound)
	case errors.Is(err, storage.ErrNotFound):
		return logsapi.ResourceNotFound(textGroupNotFound)
	}
	return fmt.Errorf("cwlogs: %w", err)
}

// limitOf returns a request's page size: the model bounds it, absent means
// the default.
func limitOf(limit *int32, def int) int {
	if limit == nil || *limit <= 0 {
		return def
	}
	return int(*limit)
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
