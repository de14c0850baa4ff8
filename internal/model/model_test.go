package model

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// committed reads the committed model files of a service.
func committed(t *testing.T, svc Service) (service, paginators []byte) {
	t.Helper()
	service, err := os.ReadFile(svc.ServiceFile())
	if err != nil {
		t.Fatal(err)
	}
	paginators, err = os.ReadFile(svc.PaginatorsFile())
	if err != nil {
		t.Fatal(err)
	}
	return service, paginators
}

var services = []struct {
	svc      Service
	compiled func() *Model
}{{CognitoIDPService, CognitoIDP}, {LogsService, Logs}, {FirehoseService, Firehose}}

// TestCompiledModelEqualsCommittedJSON: the models compiled into the
// binary are the committed JSON, parsed.
func TestCompiledModelEqualsCommittedJSON(t *testing.T) {
	for _, s := range services {
		service, paginators := committed(t, s.svc)
		parsed, err := Parse(service, paginators)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(parsed, s.compiled()) {
			t.Errorf("%s is not the committed %s model; run `go generate ./internal/model`", s.svc.GoFile, s.svc.Name)
		}
	}
}

// TestCommittedModelMatchesBotocore compares the committed model with the
// cognito-idp model of the botocore that the machine's python3 imports, so a
// botocore upgrade that changes the API fails here, naming what changed.
// Refresh both the model and the Go code with `go generate ./internal/model`.
func TestCommittedModelMatchesBotocore(t *testing.T) {
	for _, s := range services {
		bc, err := LocateBotocore(s.svc)
		if err != nil {
			t.Fatalf("botocore is needed to check the committed model (the test command installs nothing for it: it comes with the machine's Python): %v", err)
		}
		stripped, err := Strip(bc.Service)
		if err != nil {
			t.Fatal(err)
		}
		service, paginators := committed(t, s.svc)
		diffs, err := Compare(service, stripped)
		if err != nil {
			t.Fatal(err)
		}
		pdiffs, err := ComparePaginators(paginators, bc.Paginators)
		if err != nil {
			t.Fatal(err)
		}
		diffs = append(diffs, pdiffs...)
		if len(diffs) > 0 {
			t.Errorf("the committed %s model differs from botocore %s's; run `go generate ./internal/model`:\n%s", s.svc.Name, bc.Version, strings.Join(diffs, "\n"))
		}
	}
}

func TestCompareNamesWhatDiffers(t *testing.T) {
	base := `{"metadata":{"protocol":"json"},"operations":{"A":{"name":"A"},"B":{"name":"B"}},"shapes":{"S":{"type":"string","max":2},"T":{"type":"structure","members":{"X":{"shape":"S"},"Y":{"shape":"S"}}}}}`
	changed := `{"metadata":{"protocol":"json"},"operations":{"A":{"name":"A"},"C":{"name":"C"}},"shapes":{"S":{"type":"string","max":3},"T":{"type":"structure","members":{"Y":{"shape":"S"},"X":{"shape":"S"}}}}}`
	diffs, err := Compare([]byte(base), []byte(changed))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"operation B: only in the committed model",
		"operation C: only in botocore's model",
		"shape S: differs",
		"shape T: differs", // member order is part of the API
	}
	if strings.Join(diffs, "\n") != strings.Join(want, "\n") {
		t.Errorf("Compare = %q, want %q", diffs, want)
	}
	same, err := Compare([]byte(base), []byte(base))
	if err != nil || len(same) != 0 {
		t.Errorf("Compare of a model with itself = %q, %v", same, err)
	}
}

func TestStripKeepsFactsAndOrder(t *testing.T) {
	in := `{"documentation":"x","shapes":{"Z":{"type":"string","documentation":"<p>prose</p>","pattern":"a(?<!b)"},"A":{"type":"structure","members":{"M":{"shape":"Z","documentation":"d","deprecated":true,"deprecatedMessage":"gone"}}}}}`
	out, err := Strip([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, prose := range []string{"documentation", "prose", "deprecatedMessage"} {
		if strings.Contains(got, prose) {
			t.Errorf("stripped model still has %q:\n%s", prose, got)
		}
	}
	if strings.Index(got, `"Z"`) > strings.Index(got, `"A"`) {
		t.Errorf("shape order changed:\n%s", got)
	}
	if !strings.Contains(got, `"a(?<!b)"`) || !strings.Contains(got, `"deprecated": true`) {
		t.Errorf("facts lost:\n%s", got)
	}
}

func TestCommittedModelFacts(t *testing.T) {
	m := CognitoIDP()
	if m.Metadata.TargetPrefix != "AWSCognitoIdentityProviderService" || m.Metadata.SigningName != "cognito-idp" {
		t.Errorf("metadata = %+v", m.Metadata)
	}
	set := m.Operation("SetLogDeliveryConfiguration")
	if set == nil || set.Input != "SetLogDeliveryConfigurationRequest" || set.NoAuth {
		t.Fatalf("SetLogDeliveryConfiguration = %+v", set)
	}
	if !strings.Contains(strings.Join(set.Errors, ","), "FeatureUnavailableInTierException") {
		t.Errorf("Set errors = %v", set.Errors)
	}
	if op := m.Operation("InitiateAuth"); op == nil || !op.NoAuth {
		t.Errorf("InitiateAuth should be a no-auth operation: %+v", op)
	}
	list := m.Shape("LogConfigurationListType")
	if list.Type != "list" || list.Max == nil || *list.Max != 2 || list.Member != "LogConfigurationType" {
		t.Errorf("LogConfigurationListType = %+v", list)
	}
	req := m.Shape("SetLogDeliveryConfigurationRequest")
	if !req.Required["UserPoolId"] || !req.Required["LogConfigurations"] {
		t.Errorf("required = %v", req.Required)
	}
	if got := m.Shape("LogConfigurationType").Members[0].Name; got != "LogLevel" {
		t.Errorf("first member = %s", got)
	}
	if p := m.Paginators["ListUserPools"]; p == nil || p.ResultKey != "UserPools" {
		t.Errorf("ListUserPools paginator = %+v", p)
	}
	if !m.Shape("PasswordType").Sensitive {
		t.Error("PasswordType should be sensitive")
	}
}
