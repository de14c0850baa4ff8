package value

import "testing"

func TestPyFloat(t *testing.T) {
	for f, want := range map[float64]string{
		2: "2.0", 1e16: "1e+16", 1e15: "1000000000000000.0", 1e-5: "1e-05", 0.0001: "0.0001",
		1.5: "1.5", -0.25: "-0.25", 123456789.125: "123456789.125", 1.23e-7: "1.23e-07", 1.5e300: "1.5e+300",
	} {
		if got := PyFloat(f); got != want {
			t.Errorf("PyFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestParseJSONKeepsOrderAndTypes(t *testing.T) {
	v, err := ParseJSON([]byte(`{"b":1,"a":[1.0,2,1e2,"x",true,null],"b2":{"z":1,"y":2},"b":3}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	if got := o.Keys(); len(got) != 3 || got[0] != "b" || got[1] != "a" || got[2] != "b2" {
		t.Errorf("keys = %v", got)
	}
	if b, _ := o.Get("b"); b != int64(3) {
		t.Errorf("repeated key: %v", b)
	}
	a, _ := o.Get("a")
	list := a.([]any)
	if list[0] != 1.0 || list[1] != int64(2) || list[2] != 100.0 || list[5] != nil {
		t.Errorf("list = %#v", list)
	}
	if PyStr(list[0]) != "1.0" || PyStr(list[4]) != "True" || PyStr(nil) != "None" {
		t.Errorf("PyStr")
	}
}
