package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// Tiers (UserPoolTierType) and threat-protection modes.
const (
	TierLite       = "LITE"
	TierEssentials = "ESSENTIALS"
	TierPlus       = "PLUS"

	securityOff = "OFF"
)

// maxTags is how many tags a pool may have [DOC TagResource].
const maxTags = 50

// settings are the members CreateUserPool and UpdateUserPool share. Both
// build a pool's settings from them, and what is absent gets AWS's default:
// "With the exception of UserPoolTier, if you don't provide a value for an
// attribute, Amazon Cognito sets it to its default value" [DOC
// UpdateUserPool].
type settings struct {
	Policies                    *api.UserPoolPolicyType
	DeletionProtection          *string
	LambdaConfig                *api.LambdaConfigType
	AutoVerifiedAttributes      []string
	SmsVerificationMessage      *string
	EmailVerificationMessage    *string
	EmailVerificationSubject    *string
	VerificationMessageTemplate *api.VerificationMessageTemplateType
	SmsAuthenticationMessage    *string
	UserAttributeUpdateSettings *api.UserAttributeUpdateSettingsType
	MfaConfiguration            *string
	DeviceConfiguration         *api.DeviceConfigurationType
	EmailConfiguration          *api.EmailConfigurationType
	SmsConfiguration            *api.SmsConfigurationType
	AdminCreateUserConfig       *api.AdminCreateUserConfigType
	UserPoolAddOns              *api.UserPoolAddOnsType
	AccountRecoverySetting      *api.AccountRecoverySettingType
}

// apply writes the settings into a pool's stored configuration, with AWS's
// defaults for whatever is absent [OBS research §1.1].
func (s settings) apply(p *api.UserPoolType, region string) error {
	p.Policies = defaultPolicies(s.Policies)
	p.DeletionProtection = new(orDefault(s.DeletionProtection, "INACTIVE"))
	p.LambdaConfig = s.LambdaConfig
	if p.LambdaConfig == nil {
		p.LambdaConfig = &api.LambdaConfigType{} // always present, {} when empty
	}
	p.AutoVerifiedAttributes = s.AutoVerifiedAttributes
	p.SmsAuthenticationMessage = s.SmsAuthenticationMessage
	p.MfaConfiguration = new(orDefault(s.MfaConfiguration, "OFF"))
	p.DeviceConfiguration = s.DeviceConfiguration
	p.AccountRecoverySetting = s.AccountRecoverySetting

	// The legacy message members and VerificationMessageTemplate describe
	// the same messages; each fills what the other leaves out (inferred,
	// as moto does).
	tmpl := api.VerificationMessageTemplateType{}
	if s.VerificationMessageTemplate != nil {
		tmpl = *s.VerificationMessageTemplate
	}
	tmpl.DefaultEmailOption = new(orDefault(tmpl.DefaultEmailOption, "CONFIRM_WITH_CODE"))
	tmpl.SmsMessage = firstOf(tmpl.SmsMessage, s.SmsVerificationMessage)
	tmpl.EmailMessage = firstOf(tmpl.EmailMessage, s.EmailVerificationMessage)
	tmpl.EmailSubject = firstOf(tmpl.EmailSubject, s.EmailVerificationSubject)
	p.VerificationMessageTemplate = &tmpl
	p.SmsVerificationMessage = firstOf(s.SmsVerificationMessage, tmpl.SmsMessage)
	p.EmailVerificationMessage = firstOf(s.EmailVerificationMessage, tmpl.EmailMessage)
	p.EmailVerificationSubject = firstOf(s.EmailVerificationSubject, tmpl.EmailSubject)

	update := api.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []string{}}
	if s.UserAttributeUpdateSettings != nil && s.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate != nil {
		update.AttributesRequireVerificationBeforeUpdate = s.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
	}
	for _, attr := range update.AttributesRequireVerificationBeforeUpdate {
		if !contains(p.AutoVerifiedAttributes, attr) {
			// Live text (ekristen/aws-nuke#477) [OBS].
			return api.InvalidParameter("All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
		}
	}
	p.UserAttributeUpdateSettings = &update

	email := api.EmailConfigurationType{}
	if s.EmailConfiguration != nil {
		email = *s.EmailConfiguration
	}
	email.EmailSendingAccount = new(orDefault(email.EmailSendingAccount, "COGNITO_DEFAULT"))
	p.EmailConfiguration = &email

	if s.SmsConfiguration != nil {
		sms := *s.SmsConfiguration
		// AWS fills in the SNS region [OBS API reference sample].
		sms.SnsRegion = new(orDefault(sms.SnsRegion, region))
		p.SmsConfiguration = &sms
	} else {
		p.SmsConfiguration = nil
	}

	admin := api.AdminCreateUserConfigType{}
	if s.AdminCreateUserConfig != nil {
		admin = *s.AdminCreateUserConfig
	}
	admin.AllowAdminCreateUserOnly = new(deref(admin.AllowAdminCreateUserOnly))
	if admin.UnusedAccountValidityDays == nil {
		admin.UnusedAccountValidityDays = new(int32(7))
	}
	p.AdminCreateUserConfig = &admin

	if s.UserPoolAddOns != nil {
		addOns := *s.UserPoolAddOns
		if addOns.AdvancedSecurityAdditionalFlows == nil {
			// AWS echoes an empty object [OBS aws-cli describe example].
			addOns.AdvancedSecurityAdditionalFlows = &api.AdvancedSecurityAdditionalFlowsType{}
		}
		p.UserPoolAddOns = &addOns
	} else {
		p.UserPoolAddOns = nil
	}
	return nil
}

func defaultPolicies(in *api.UserPoolPolicyType) *api.UserPoolPolicyType {
	out := &api.UserPoolPolicyType{}
	if in != nil && in.PasswordPolicy != nil {
		pw := *in.PasswordPolicy
		// Booleans the caller left out are false (Java primitives); the
		// length defaults to 8; a temporary-password validity of 0 or none
		// means 7 days [DOC PasswordPolicyType].
		pw.RequireUppercase = new(deref(pw.RequireUppercase))
		pw.RequireLowercase = new(deref(pw.RequireLowercase))
		pw.RequireNumbers = new(deref(pw.RequireNumbers))
		pw.RequireSymbols = new(deref(pw.RequireSymbols))
		if pw.MinimumLength == nil {
			pw.MinimumLength = new(int32(8))
		}
		if deref(pw.TemporaryPasswordValidityDays) == 0 {
			pw.TemporaryPasswordValidityDays = new(int32(7))
		}
		out.PasswordPolicy = &pw
	} else {
		out.PasswordPolicy = &api.PasswordPolicyType{
			MinimumLength: new(int32(8)), RequireUppercase: new(true), RequireLowercase: new(true),
			RequireNumbers: new(true), RequireSymbols: new(true), TemporaryPasswordValidityDays: new(int32(7)),
		}
	}
	if in != nil && in.SignInPolicy != nil {
		out.SignInPolicy = in.SignInPolicy
	} else {
		out.SignInPolicy = &api.SignInPolicyType{AllowedFirstAuthFactors: []string{"PASSWORD"}}
	}
	return out
}

// checkTier refuses settings the pool's tier does not include. The text is
// AWS's, seen for threat protection on ESSENTIALS (PR
// hashicorp/terraform-provider-aws#40734) [OBS]; the name of the
// log-export feature in it is inferred.
func checkTier(p *api.UserPoolType, logs []storage.LogConfiguration) error {
	tier := deref(p.UserPoolTier)
	if tier == TierPlus {
		return nil
	}
	var features []string
	if a := p.UserPoolAddOns; a != nil && (deref(a.AdvancedSecurityMode) != securityOff ||
		(a.AdvancedSecurityAdditionalFlows != nil && a.AdvancedSecurityAdditionalFlows.CustomAuthMode != nil)) {
		features = append(features, "Threat Protection")
	}
	for _, l := range logs {
		if l.EventSource == sourceUserAuthEvents {
			features = append(features, userActivityLogExport)
			break
		}
	}
	if len(features) > 0 {
		return api.FeatureUnavailableInTier("The following features need to be disabled for the %s pricing tier configured: %s", tier, strings.Join(features, ", "))
	}
	return nil
}

// userActivityLogExport names userAuthEvents export in tier errors
// (inferred: AWS's name for it in this message is not public).
const userActivityLogExport = "User Activity Log Export"

func checkTags(tags map[string]string) error {
	if len(tags) > maxTags {
		// Inferred text; the limit is documented.
		return api.InvalidParameter("A user pool can have at most %d tags; the request has %d.", maxTags, len(tags))
	}
	return nil
}

// CreateUserPool creates a pool with AWS's defaults for what is not given.
func (s *Service) CreateUserPool(ctx context.Context, in *api.CreateUserPoolRequest) (*api.CreateUserPoolResponse, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	if len(in.AliasAttributes) > 0 && len(in.UsernameAttributes) > 0 {
		// Text of another emulator [EMU]; AWS allows one or the other.
		return nil, api.InvalidParameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	if err := checkTags(in.UserPoolTags); err != nil {
		return nil, err
	}
	cfg := &api.UserPoolType{
		AliasAttributes:       in.AliasAttributes,
		UsernameAttributes:    in.UsernameAttributes,
		UsernameConfiguration: in.UsernameConfiguration,
		UserPoolTier:          new(orDefault(in.UserPoolTier, TierEssentials)),
	}
	if cfg.SchemaAttributes, err = buildSchema(in.Schema); err != nil {
		return nil, err
	}
	st := settings{
		Policies: in.Policies, DeletionProtection: in.DeletionProtection, LambdaConfig: in.LambdaConfig,
		AutoVerifiedAttributes: in.AutoVerifiedAttributes, SmsVerificationMessage: in.SmsVerificationMessage,
		EmailVerificationMessage: in.EmailVerificationMessage, EmailVerificationSubject: in.EmailVerificationSubject,
		VerificationMessageTemplate: in.VerificationMessageTemplate, SmsAuthenticationMessage: in.SmsAuthenticationMessage,
		UserAttributeUpdateSettings: in.UserAttributeUpdateSettings, MfaConfiguration: in.MfaConfiguration,
		DeviceConfiguration: in.DeviceConfiguration, EmailConfiguration: in.EmailConfiguration,
		SmsConfiguration: in.SmsConfiguration, AdminCreateUserConfig: in.AdminCreateUserConfig,
		UserPoolAddOns: in.UserPoolAddOns, AccountRecoverySetting: in.AccountRecoverySetting,
	}
	if err := st.apply(cfg, sc.Region); err != nil {
		return nil, err
	}
	if err := checkPoolMFA(cfg, nil); err != nil { // mfa.go
		return nil, err
	}
	if err := checkTier(cfg, nil); err != nil {
		return nil, err
	}
	config, err := encodeConfig(cfg)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	tags := in.UserPoolTags
	if tags == nil {
		tags = map[string]string{}
	}
	rec := &storage.UserPool{
		AccountID: sc.AccountID, Region: sc.Region, Name: deref(in.PoolName),
		CreatedAt: now, UpdatedAt: now, Config: config, Tags: tags,
	}
	// IDs are random; a collision is retried rather than reported.
	for attempt := 0; ; attempt++ {
		rec.ID = s.newID(sc.Region)
		err = s.store.CreateUserPool(ctx, rec)
		if !errors.Is(err, storage.ErrAlreadyExists) || attempt == 4 {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create user pool: %w", err)
	}
	return &api.CreateUserPoolResponse{UserPool: describe(rec, cfg)}, nil
}

// encodeConfig keeps a pool's settings as the JSON of api.UserPoolType
// without the members that live in their own columns.
func encodeConfig(p *api.UserPoolType) ([]byte, error) {
	c := *p
	c.Id, c.Name, c.Arn, c.CreationDate, c.LastModifiedDate, c.UserPoolTags, c.EstimatedNumberOfUsers = nil, nil, nil, nil, nil, nil, nil
	b, err := json.Marshal(&c)
	if err != nil {
		return nil, fmt.Errorf("encode pool settings: %w", err)
	}
	return b, nil
}

func decodeConfig(rec *storage.UserPool) (*api.UserPoolType, error) {
	var p api.UserPoolType
	if err := json.Unmarshal(rec.Config, &p); err != nil {
		return nil, fmt.Errorf("decode settings of pool %s: %w", rec.ID, err)
	}
	return &p, nil
}

// describe returns the UserPoolType AWS returns for a stored pool, from its
// settings cfg (a copy the caller may change at the top level).
func describe(rec *storage.UserPool, cfg *api.UserPoolType) *api.UserPoolType {
	p := cfg
	p.Id = new(rec.ID)
	p.Name = new(rec.Name)
	p.Arn = new(PoolARN(rec.Region, rec.AccountID, rec.ID))
	p.CreationDate = api.NewTime(rec.CreatedAt)
	p.LastModifiedDate = api.NewTime(rec.UpdatedAt)
	p.UserPoolTags = rec.Tags
	if p.UserPoolTags == nil {
		p.UserPoolTags = map[string]string{} // present even when empty [OBS]
	}
	p.EstimatedNumberOfUsers = new(int32(0)) // DescribeUserPool sets the real count
	return p
}

// DescribeUserPool returns a pool.
func (s *Service) DescribeUserPool(ctx context.Context, in *api.DescribeUserPoolRequest) (*api.DescribeUserPoolResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	rec, err := s.store.GetUserPool(ctx, key)
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	cfg, err := s.reads.settings(rec)
	if err != nil {
		return nil, err
	}
	n, err := s.users.get(ctx, s.store, key)
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	out := describe(rec, cfg)
	*out.EstimatedNumberOfUsers = estimate(n) // describe's own pointer
	// The pool's domains (domains.go) [DOC UserPoolType Domain, CustomDomain].
	prefix, custom, err := s.poolDomainNames(ctx, key)
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	if prefix != "" {
		out.Domain = new(prefix)
	}
	if custom != "" {
		out.CustomDomain = new(custom)
	}
	return &api.DescribeUserPoolResponse{UserPool: out}, nil
}

// UpdateUserPool replaces a pool's settings: what the request leaves out
// returns to its default, except the tier, which stays [DOC]. The schema,
// sign-in attributes and username configuration cannot change (they are
// not in the request). Tags are replaced only when UserPoolTags is given
// (inferred: tags are managed with TagResource too).
func (s *Service) UpdateUserPool(ctx context.Context, in *api.UpdateUserPoolRequest) (*api.UpdateUserPoolResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if in.UserPoolTags != nil {
		if err := checkTags(in.UserPoolTags); err != nil {
			return nil, err
		}
	}
	st := settings{
		Policies: in.Policies, DeletionProtection: in.DeletionProtection, LambdaConfig: in.LambdaConfig,
		AutoVerifiedAttributes: in.AutoVerifiedAttributes, SmsVerificationMessage: in.SmsVerificationMessage,
		EmailVerificationMessage: in.EmailVerificationMessage, EmailVerificationSubject: in.EmailVerificationSubject,
		VerificationMessageTemplate: in.VerificationMessageTemplate, SmsAuthenticationMessage: in.SmsAuthenticationMessage,
		UserAttributeUpdateSettings: in.UserAttributeUpdateSettings, MfaConfiguration: in.MfaConfiguration,
		DeviceConfiguration: in.DeviceConfiguration, EmailConfiguration: in.EmailConfiguration,
		SmsConfiguration: in.SmsConfiguration, AdminCreateUserConfig: in.AdminCreateUserConfig,
		UserPoolAddOns: in.UserPoolAddOns, AccountRecoverySetting: in.AccountRecoverySetting,
	}
	now := s.now().UTC()
	_, err = s.store.UpdateUserPool(ctx, key, func(rec *storage.UserPool) error {
		cfg, err := decodeConfig(rec)
		if err != nil {
			return err
		}
		if in.UserPoolTier != nil {
			cfg.UserPoolTier = new(*in.UserPoolTier)
		}
		if err := st.apply(cfg, key.Region); err != nil {
			return err
		}
		// A pool that exports user activity cannot leave PLUS until the
		// userAuthEvents configuration is removed [DOC feature-plans-deactivate].
		if err := checkTier(cfg, rec.LogConfigurations); err != nil {
			return err
		}
		if err := checkPoolMFA(cfg, rec.Config); err != nil { // mfa.go
			return err
		}
		old := rec.Config
		if rec.Config, err = encodeConfig(cfg); err != nil {
			return err
		}
		// The MFA factors SetUserPoolMfaConfig set are not in the request.
		if rec.Config, err = keepPoolMFA(old, rec.Config); err != nil {
			return err
		}
		if in.PoolName != nil {
			rec.Name = *in.PoolName
		}
		if in.UserPoolTags != nil {
			rec.Tags = in.UserPoolTags
		}
		rec.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	return &api.UpdateUserPoolResponse{}, nil
}

// DeleteUserPool deletes a pool unless deletion protection is active.
func (s *Service) DeleteUserPool(ctx context.Context, in *api.DeleteUserPoolRequest) (*api.Empty, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	// A pool with a domain is refused [OBS terraform-provider-aws#16479,
	// aws-nuke#330]. Checked before the deletion, not in its
	// transaction: a domain created in between goes with the pool.
	if prefix, custom, err := s.poolDomainNames(ctx, key); err != nil {
		return nil, storeError(key.ID, err)
	} else if prefix != "" || custom != "" {
		return nil, api.InvalidParameter("User pool cannot be deleted. It has a domain configured that should be deleted first.")
	}
	defer s.users.changed(key)
	err = s.store.DeleteUserPool(ctx, key, func(rec *storage.UserPool) error {
		cfg, err := decodeConfig(rec)
		if err != nil {
			return err
		}
		if deref(cfg.DeletionProtection) == "ACTIVE" {
			// Live CLI output quoted in localstack/localstack#11947 [OBS].
			return api.InvalidParameter("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
		}
		return nil
	})
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	return &api.Empty{}, nil
}

// ListUserPools lists the caller's pools in creation order, MaxResults
// (1..60, checked by the model) at a time, with an opaque NextToken.
func (s *Service) ListUserPools(ctx context.Context, in *api.ListUserPoolsRequest) (*api.ListUserPoolsResponse, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	recs, next, err := s.store.ListUserPools(ctx, sc, storage.Page{Cursor: deref(in.NextToken), Limit: int(deref(in.MaxResults))})
	if errors.Is(err, storage.ErrInvalidCursor) {
		// Inferred text, in the style of ListUsers' "Paging marker … is invalid".
		return nil, api.InvalidParameter("Invalid NextToken: %s", deref(in.NextToken))
	}
	if err != nil {
		return nil, fmt.Errorf("list user pools: %w", err)
	}
	out := &api.ListUserPoolsResponse{UserPools: make([]api.UserPoolDescriptionType, 0, len(recs))}
	for _, rec := range recs {
		// Only LambdaConfig is listed: decode just that.
		var cfg struct{ LambdaConfig *api.LambdaConfigType }
		if err := json.Unmarshal(rec.Config, &cfg); err != nil {
			return nil, fmt.Errorf("decode settings of pool %s: %w", rec.ID, err)
		}
		// Exactly these members; Status is no longer sent [OBS research §5].
		out.UserPools = append(out.UserPools, api.UserPoolDescriptionType{
			Id: new(rec.ID), Name: new(rec.Name), LambdaConfig: cfg.LambdaConfig,
			CreationDate: api.NewTime(rec.CreatedAt), LastModifiedDate: api.NewTime(rec.UpdatedAt),
		})
	}
	if next != "" {
		out.NextToken = new(next)
	}
	return out, nil
}

func orDefault(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}

func firstOf(ps ...*string) *string {
	for _, p := range ps {
		if p != nil {
			return new(*p)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
