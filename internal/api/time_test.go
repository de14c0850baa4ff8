package api

import (
	"encoding/json"
	"testing"
	"time"
)

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{
		1594889658.976: "1.594889658976E9", // raw CreateUserPool bytes, boto/boto3#2516
		1510676427.1:   "1.5106764271E9",   // cloud-custodian recording's content-length
		1500000000:     "1.5E9",
		1000000000:     "1.0E9",
		12.5:           "12.5",
		3:              "3.0",
		0:              "0.0",
	} {
		if got := JavaDouble(f); got != want {
			t.Errorf("JavaDouble(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestTimeRoundTrip(t *testing.T) {
	in := NewTime(time.UnixMilli(1594889658976))
	b, err := json.Marshal(in)
	if err != nil || string(b) != "1.594889658976E9" {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var out Time
	if err := json.Unmarshal(b, &out); err != nil || !out.Equal(in.Time) {
		t.Errorf("unmarshal = %v, %v", out, err)
	}
	if err := json.Unmarshal([]byte("1726694203.495"), &out); err != nil || out.UnixMilli() != 1726694203495 {
		t.Errorf("plain decimal = %v, %v", out, err)
	}
}
