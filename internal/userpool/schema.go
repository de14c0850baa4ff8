package userpool

import (
	"strconv"
	"strings"

	"github.com/cognate/cognate/internal/api"
)

// standardAttribute is one of the attributes every pool has.
type standardAttribute struct {
	name, dataType    string
	mutable, required bool
	minLength, maxLen string // for String attributes
}

// standardAttributes are returned by DescribeUserPool in this order, with
// these settings, for every pool created through the API (identical in the
// aws-cli examples, boto/boto3#2516 and live captures) [OBS research §1.2].
var standardAttributes = []standardAttribute{
	{"sub", "String", false, true, "1", "2048"},
	{"name", "String", true, false, "0", "2048"},
	{"given_name", "String", true, false, "0", "2048"},
	{"family_name", "String", true, false, "0", "2048"},
	{"middle_name", "String", true, false, "0", "2048"},
	{"nickname", "String", true, false, "0", "2048"},
	{"preferred_username", "String", true, false, "0", "2048"},
	{"profile", "String", true, false, "0", "2048"},
	{"picture", "String", true, false, "0", "2048"},
	{"website", "String", true, false, "0", "2048"},
	{"email", "String", true, false, "0", "2048"},
	{"email_verified", "Boolean", true, false, "", ""},
	{"gender", "String", true, false, "0", "2048"},
	{"birthdate", "String", true, false, "10", "10"},
	{"zoneinfo", "String", true, false, "0", "2048"},
	{"locale", "String", true, false, "0", "2048"},
	{"phone_number", "String", true, false, "0", "2048"},
	{"phone_number_verified", "Boolean", true, false, "", ""},
	{"address", "String", true, false, "0", "2048"},
	{"updated_at", "Number", true, false, "", ""},
}

func (a standardAttribute) schema() api.SchemaAttributeType {
	s := api.SchemaAttributeType{
		Name:                   new(a.name),
		AttributeDataType:      new(a.dataType),
		DeveloperOnlyAttribute: new(false),
		Mutable:                new(a.mutable),
		Required:               new(a.required),
	}
	switch a.dataType {
	case "String":
		s.StringAttributeConstraints = &api.StringAttributeConstraintsType{MinLength: new(a.minLength), MaxLength: new(a.maxLen)}
	case "Number":
		// updated_at carries only a minimum [OBS].
		s.NumberAttributeConstraints = &api.NumberAttributeConstraintsType{MinValue: new("0")}
	}
	return s
}

// maxStringAttributeLength is the longest a String attribute may be.
const maxStringAttributeLength = 2048

// buildSchema merges a CreateUserPool Schema into the standard attributes:
// standard attributes may change Required, Mutable and their constraints;
// other names become custom attributes, `custom:<name>` (`dev:custom:<name>`
// when developer-only), appended after the standard ones [OBS research §2].
func buildSchema(input []api.SchemaAttributeType) ([]api.SchemaAttributeType, error) {
	out := make([]api.SchemaAttributeType, 0, len(standardAttributes)+len(input))
	index := map[string]int{}
	for _, a := range standardAttributes {
		index[a.name] = len(out)
		out = append(out, a.schema())
	}
	for _, in := range input {
		name := deref(in.Name)
		if i, ok := index[name]; ok && !strings.Contains(name, ":") {
			if err := mergeStandard(&out[i], in); err != nil {
				return nil, err
			}
			continue
		}
		attr, err := customAttribute(in)
		if err != nil {
			return nil, err
		}
		full := deref(attr.Name)
		if _, exists := index[full]; exists {
			// AddCustomAttributes' text for a name in use [OBS].
			return nil, api.InvalidParameter("%s: Existing attribute already has name %s.", full, full)
		}
		index[full] = len(out)
		out = append(out, attr)
	}
	return out, nil
}

func mergeStandard(dst *api.SchemaAttributeType, in api.SchemaAttributeType) error {
	name := deref(dst.Name)
	if (in.AttributeDataType != nil && *in.AttributeDataType != *dst.AttributeDataType) || deref(in.DeveloperOnlyAttribute) {
		// Live text, no final period [OBS research §2].
		return api.InvalidParameter("You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s", name)
	}
	if in.Required != nil {
		dst.Required = new(*in.Required)
	}
	if in.Mutable != nil {
		dst.Mutable = new(*in.Mutable)
	}
	switch deref(dst.AttributeDataType) {
	case "String":
		if c := in.StringAttributeConstraints; c != nil {
			merged := *dst.StringAttributeConstraints
			if c.MinLength != nil {
				merged.MinLength = new(*c.MinLength)
			}
			if c.MaxLength != nil {
				merged.MaxLength = new(*c.MaxLength)
			}
			if err := checkStringConstraints(name, &merged); err != nil {
				return err
			}
			dst.StringAttributeConstraints = &merged
		}
	case "Number":
		if c := in.NumberAttributeConstraints; c != nil {
			merged := *dst.NumberAttributeConstraints
			if c.MinValue != nil {
				merged.MinValue = new(*c.MinValue)
			}
			if c.MaxValue != nil {
				merged.MaxValue = new(*c.MaxValue)
			}
			if err := checkNumberConstraints(name, &merged); err != nil {
				return err
			}
			dst.NumberAttributeConstraints = &merged
		}
	}
	return nil
}

func customAttribute(in api.SchemaAttributeType) (api.SchemaAttributeType, error) {
	if in.Name == nil || *in.Name == "" {
		// Inferred text: the model leaves Name optional, AWS needs it.
		return api.SchemaAttributeType{}, api.InvalidParameter("Schema attribute name is required.")
	}
	if in.AttributeDataType == nil {
		return api.SchemaAttributeType{}, api.InvalidParameter("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")
	}
	if deref(in.Required) {
		return api.SchemaAttributeType{}, api.InvalidParameter("Required custom attributes are not supported currently.")
	}
	prefix := "custom:"
	if deref(in.DeveloperOnlyAttribute) {
		prefix = "dev:custom:"
	}
	// The prefix is added even to a name that already has it
	// (custom:sub becomes custom:custom:sub) [OBS research §2].
	full := prefix + *in.Name
	out := api.SchemaAttributeType{
		Name:                   new(full),
		AttributeDataType:      new(*in.AttributeDataType),
		DeveloperOnlyAttribute: new(deref(in.DeveloperOnlyAttribute)),
		Mutable:                new(in.Mutable == nil || *in.Mutable),
		Required:               new(false),
	}
	// Only the constraints of the attribute's type are kept, and only the
	// fields that were given [OBS research §2].
	switch *in.AttributeDataType {
	case "String":
		c := api.StringAttributeConstraintsType{}
		if in.StringAttributeConstraints != nil {
			c = *in.StringAttributeConstraints
		}
		if err := checkStringConstraints(full, &c); err != nil {
			return api.SchemaAttributeType{}, err
		}
		out.StringAttributeConstraints = &c
	case "Number":
		c := api.NumberAttributeConstraintsType{}
		if in.NumberAttributeConstraints != nil {
			c = *in.NumberAttributeConstraints
		}
		if err := checkNumberConstraints(full, &c); err != nil {
			return api.SchemaAttributeType{}, err
		}
		out.NumberAttributeConstraints = &c
	}
	return out, nil
}

// The constraint texts below follow moto, which copies AWS's [EMU].
func checkStringConstraints(name string, c *api.StringAttributeConstraintsType) error {
	minLen, minOK := parseConstraint(c.MinLength)
	maxLen, maxOK := parseConstraint(c.MaxLength)
	if !minOK || !maxOK {
		return api.InvalidParameter("Invalid StringAttributeConstraints for schema attribute %s", name)
	}
	if c.MaxLength != nil && maxLen > maxStringAttributeLength {
		return api.InvalidParameter("user.%s: String attributes cannot have a length of more than %d", strings.TrimPrefix(name, "custom:"), maxStringAttributeLength)
	}
	if c.MinLength != nil && c.MaxLength != nil && maxLen < minLen {
		return api.InvalidParameter("user.%s: Max length cannot be less than min length.", strings.TrimPrefix(name, "custom:"))
	}
	return nil
}

func checkNumberConstraints(name string, c *api.NumberAttributeConstraintsType) error {
	minV, minOK := parseConstraint(c.MinValue)
	maxV, maxOK := parseConstraint(c.MaxValue)
	if !minOK || !maxOK {
		return api.InvalidParameter("Invalid NumberAttributeConstraints for schema attribute %s", name)
	}
	if c.MinValue != nil && c.MaxValue != nil && maxV < minV {
		return api.InvalidParameter("user.%s: Max value cannot be less than min value.", strings.TrimPrefix(name, "custom:"))
	}
	return nil
}

// parseConstraint reads a constraint string; absent is fine, a value must
// be a non-negative integer.
func parseConstraint(s *string) (int64, bool) {
	if s == nil {
		return 0, true
	}
	n, err := strconv.ParseInt(*s, 10, 64)
	return n, err == nil && n >= 0
}
