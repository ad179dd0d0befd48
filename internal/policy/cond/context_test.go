package cond

import (
	"slices"
	"testing"
)

func TestContextKeysAreCaseInsensitive(t *testing.T) {
	var c Context
	c.Set("aws:SourceIp", "203.0.113.7")
	c.Set("aws:PrincipalTag/Team", "blue")
	for _, k := range []string{"aws:SourceIp", "AWS:sourceip", "aws:sourceIP"} {
		if v, ok := c.Get(k); !ok || v != "203.0.113.7" {
			t.Errorf("Get(%q) = %q, %v", k, v, ok)
		}
	}
	if v, ok := c.Get("aws:principaltag/team"); !ok || v != "blue" {
		t.Errorf("tag key part is not case-insensitive: %q, %v", v, ok)
	}
	c.Set("AWS:SOURCEIP", "198.51.100.1")
	if c.Len() != 2 {
		t.Errorf("Set with another case added a key: Len = %d", c.Len())
	}
	if v, _ := c.Get("aws:SourceIp"); v != "198.51.100.1" {
		t.Errorf("Set did not replace: %q", v)
	}
}

func TestContextMultiValues(t *testing.T) {
	var c Context
	c.SetMulti("aws:TagKeys", []string{"a", "b"})
	if _, ok := c.Get("aws:TagKeys"); ok {
		t.Error("Get returned a multivalued key")
	}
	if v, ok := c.Values("aws:tagkeys"); !ok || !slices.Equal(v, []string{"a", "b"}) {
		t.Errorf("Values = %v, %v", v, ok)
	}
	c.Delete("aws:TagKeys")
	if _, ok := c.Values("aws:TagKeys"); ok {
		t.Error("Delete left the key")
	}
}

func TestContextResetReusesCapacity(t *testing.T) {
	var c Context
	keys := []string{"aws:SourceIp", "aws:username", "aws:PrincipalArn", "aws:CurrentTime"}
	fill := func() {
		c.Reset()
		for _, k := range keys {
			c.Set(k, "v")
		}
	}
	fill()
	if n := testing.AllocsPerRun(100, fill); n != 0 {
		t.Errorf("refilling a reset context allocated %v times", n)
	}
	if c.Len() != len(keys) {
		t.Errorf("Len = %d", c.Len())
	}
}

func TestNilContextIsEmpty(t *testing.T) {
	var c *Context
	cond, err := Compile("Null", "aws:SourceIp", []string{"true"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if !cond.Eval(c) {
		t.Error("Null true on a nil context = false")
	}
}
