package cwlogs

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// Log group classes (LogGroupClass) [DOC].
const (
	classStandard = "STANDARD"
)

// maxTags is how many tags a log group may have [DOC Tags: 1–50].
const maxTags = 50

// describeLimit is the default and maximum page of the Describe operations
// [DOC DescribeLimit].
const describeLimit = 50

// retentionDays are the values PutRetentionPolicy accepts [DOC API
// reference; OBS alphagov/govuk-infrastructure#3717 refused 728].
var retentionDays = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// CreateLogGroup creates a log group. The KMS key is kept as given: Cognate
// has no KMS to check it against (issue4-facts §1.3).
func (s *Service) CreateLogGroup(ctx context.Context, in *logsapi.CreateLogGroupRequest) (*api.Empty, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	// The doc says names "can't start with aws/"; AWS's message spells the
	// prefix AWS/ and answers it for aws/… [OBS], so the check ignores
	// case (inferred). `/aws/…`, with a leading slash, is allowed.
	if strings.HasPrefix(strings.ToLower(key.Name), "aws/") {
		return nil, logsapi.InvalidParameter(textReservedPrefix)
	}
	g := &storage.LogGroup{
		AccountID: key.AccountID, Region: key.Region, Name: key.Name,
		CreationTime:       s.nowMillis(),
		KMSKeyID:           deref(in.KmsKeyId),
		Class:              deref(in.LogGroupClass),
		DeletionProtection: deref(in.DeletionProtectionEnabled),
		Tags:               in.Tags,
	}
	if g.Class == "" {
		g.Class = classStandard
	}
	if err := s.store.CreateLogGroup(ctx, g); err != nil {
		if errors.Is(err, storage.ErrAlreadyExists) {
			return nil, logsapi.ResourceAlreadyExists(textGroupExists)
		}
		return nil, storeError(err)
	}
	return &api.Empty{}, nil
}

// DeleteLogGroup deletes a group with its streams and events, unless its
// deletion protection is on.
func (s *Service) DeleteLogGroup(ctx context.Context, in *logsapi.DeleteLogGroupRequest) (*api.Empty, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteLogGroup(ctx, key, func(g *storage.LogGroup) error {
		if g.DeletionProtection {
			// ValidationException is the modelled error; the text is
			// inferred.
			return logsapi.Validation("Log group %s has deletion protection enabled. Disable it with PutLogGroupDeletionProtection before deleting the log group.", g.Name)
		}
		return nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	return &api.Empty{}, nil
}

// PutLogGroupDeletionProtection turns a group's deletion protection on or
// off.
func (s *Service) PutLogGroupDeletionProtection(ctx context.Context, in *logsapi.PutLogGroupDeletionProtectionRequest) (*api.Empty, error) {
	key, err := groupKeyOf(ctx, nil, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateLogGroup(ctx, key, func(g *storage.LogGroup) error {
		g.DeletionProtection = deref(in.DeletionProtectionEnabled)
		return nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	return &api.Empty{}, nil
}

// DescribeLogGroups lists the caller's groups in ASCII order [DOC].
func (s *Service) DescribeLogGroups(ctx context.Context, in *logsapi.DescribeLogGroupsRequest) (*logsapi.DescribeLogGroupsResponse, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		// Inferred text, in the words of the API reference.
		return nil, logsapi.InvalidParameter("logGroupNamePrefix and logGroupNamePattern are mutually exclusive. Only one of these parameters can be passed.")
	}
	q := storage.LogGroupQuery{
		NamePrefix:   deref(in.LogGroupNamePrefix),
		NameContains: deref(in.LogGroupNamePattern),
		Class:        deref(in.LogGroupClass),
		Limit:        limitOf(in.Limit, describeLimit),
	}
	if in.LogGroupIdentifiers != nil {
		// "If you specify this parameter, the only other filter that you
		// can choose to specify is includeLinkedAccounts" [DOC]; the text
		// is inferred.
		if in.LogGroupNamePrefix != nil || in.LogGroupNamePattern != nil || in.LogGroupClass != nil {
			return nil, logsapi.InvalidParameter("logGroupIdentifiers can be combined with no other filter than includeLinkedAccounts.")
		}
		q.Names = []string{}
		for _, id := range in.LogGroupIdentifiers {
			name, err := resolveIdentifier(sc, id)
			if errors.Is(err, logsapi.ErrResourceNotFound) {
				continue // a group the caller cannot see: not listed
			}
			if err != nil {
				return nil, err
			}
			q.Names = append(q.Names, name)
		}
	}
	if in.NextToken != nil {
		fields, err := decodeToken(*in.NextToken, "lg1", 1)
		if err != nil {
			return nil, err
		}
		q.After = fields[0]
	}
	groups, more, err := s.store.ListLogGroups(ctx, sc, q)
	if err != nil {
		return nil, storeError(err)
	}
	out := &logsapi.DescribeLogGroupsResponse{LogGroups: make([]logsapi.LogGroup, 0, len(groups))}
	for _, g := range groups {
		out.LogGroups = append(out.LogGroups, describeGroup(g, in.LogGroupNamePattern != nil))
	}
	if more && len(groups) > 0 {
		out.NextToken = new(encodeToken("lg1", groups[len(groups)-1].Name))
	}
	return out, nil
}

// describeGroup is a LogGroup as DescribeLogGroups shows it: `arn` with the
// trailing `:*` and `logGroupArn` without, retentionInDays only when events
// expire, kmsKeyId only when set; with a name pattern only arn,
// creationTime and logGroupName [DOC; OBS live 2026 response].
func describeGroup(g *storage.LogGroup, reduced bool) logsapi.LogGroup {
	arn := GroupARN(g.Region, g.AccountID, g.Name)
	out := logsapi.LogGroup{
		LogGroupName: new(g.Name),
		CreationTime: new(g.CreationTime),
		Arn:          new(arn + ":*"),
	}
	if reduced {
		return out
	}
	out.MetricFilterCount = new(int32(0))
	out.StoredBytes = new(g.StoredBytes)
	out.LogGroupClass = new(g.Class)
	out.LogGroupArn = new(arn)
	out.DeletionProtectionEnabled = new(g.DeletionProtection)
	if g.RetentionInDays > 0 {
		out.RetentionInDays = new(g.RetentionInDays)
	}
	if g.KMSKeyID != "" {
		out.KmsKeyId = new(g.KMSKeyID)
	}
	return out
}

// PutRetentionPolicy sets how long a group keeps events. The events it
// expires are hidden at once and deleted in the same request.
func (s *Service) PutRetentionPolicy(ctx context.Context, in *logsapi.PutRetentionPolicyRequest) (*api.Empty, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	days := deref(in.RetentionInDays)
	if !slices.Contains(retentionDays, days) {
		// The model gives Days no enum; the allowed values are in the
		// documentation only. The Coral enum form of the text is inferred
		// (issue4-facts §1.10).
		values := make([]string, len(retentionDays))
		for i, d := range retentionDays {
			values[i] = strconv.Itoa(int(d))
		}
		return nil, logsapi.InvalidParameter("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]", days, strings.Join(values, ", "))
	}
	if _, err := s.store.UpdateLogGroup(ctx, key, func(g *storage.LogGroup) error {
		g.RetentionInDays = days
		return nil
	}); err != nil {
		return nil, storeError(err)
	}
	if _, err := s.store.ExpireLogEvents(ctx, key, s.nowMillis()-int64(days)*millisPerDay); err != nil {
		// The policy is set and reads hide the expired events; their
		// deletion can wait for the next put.
		s.log.Warn("expire log events", "group", key.Name, "err", err)
	}
	return &api.Empty{}, nil
}

// DeleteRetentionPolicy makes a group's events never expire.
func (s *Service) DeleteRetentionPolicy(ctx context.Context, in *logsapi.DeleteRetentionPolicyRequest) (*api.Empty, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.UpdateLogGroup(ctx, key, func(g *storage.LogGroup) error {
		g.RetentionInDays = 0
		return nil
	}); err != nil {
		return nil, storeError(err)
	}
	return &api.Empty{}, nil
}

// retentionCutoff returns the earliest timestamp a group still shows
// (events before it have expired), or 0 when they never expire.
func (s *Service) retentionCutoff(g *storage.LogGroup, now int64) int64 {
	if g.RetentionInDays <= 0 {
		return 0
	}
	return now - int64(g.RetentionInDays)*millisPerDay
}

// getGroup reads a group, with the API's error when it is missing.
func (s *Service) getGroup(ctx context.Context, key storage.LogGroupKey) (*storage.LogGroup, error) {
	g, err := s.store.GetLogGroup(ctx, key)
	if err != nil {
		return nil, storeError(err)
	}
	return g, nil
}

// checkTags refuses a merged tag set over the limit.
func checkTags(tags map[string]string, tooMany func(string, ...any) *api.Error) error {
	if len(tags) > maxTags {
		// The limit is documented; the text is the TooManyTagsException
		// shape's description (inferred as the live text).
		return tooMany("A resource can have no more than %d tags.", maxTags)
	}
	return nil
}
