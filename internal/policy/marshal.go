package policy

import (
	"bytes"
	"encoding/json"
	"slices"
)

// MarshalJSON writes the document as AWS shows policies: elements in the conventional
// order, one-element lists as a plain string, absent elements left out. Parsing the
// result gives back an equal Document.
func (d *Document) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	field := fieldWriter(&b)
	if d.Version != "" {
		field("Version")
		writeString(&b, d.Version)
	}
	if d.ID != "" {
		field("Id")
		writeString(&b, d.ID)
	}
	field("Statement")
	b.WriteByte('[')
	for i := range d.Statement {
		if i > 0 {
			b.WriteByte(',')
		}
		d.Statement[i].marshal(&b)
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

func (s *Statement) marshal(b *bytes.Buffer) {
	b.WriteByte('{')
	field := fieldWriter(b)
	if s.Sid != "" {
		field("Sid")
		writeString(b, s.Sid)
	}
	field("Effect")
	writeString(b, string(s.Effect))
	if s.Principal != nil {
		field("Principal")
		s.Principal.marshal(b)
	}
	if s.NotPrincipal != nil {
		field("NotPrincipal")
		s.NotPrincipal.marshal(b)
	}
	lists := []struct {
		name string
		v    []string
	}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}}
	for _, l := range lists {
		if l.v != nil {
			field(l.name)
			writeList(b, l.v)
		}
	}
	if s.Condition != nil {
		field("Condition")
		s.Condition.marshal(b)
	}
	b.WriteByte('}')
}

func (p *Principals) marshal(b *bytes.Buffer) {
	if p.All {
		b.WriteString(`"*"`)
		return
	}
	b.WriteByte('{')
	field := fieldWriter(b)
	for _, l := range []struct {
		name string
		v    []string
	}{{"AWS", p.AWS}, {"CanonicalUser", p.CanonicalUser}, {"Federated", p.Federated}, {"Service", p.Service}} {
		if l.v != nil {
			field(l.name)
			writeList(b, l.v)
		}
	}
	b.WriteByte('}')
}

// fieldWriter returns a function that writes `"name":` into an object, preceded by a
// comma from the second field on.
func fieldWriter(b *bytes.Buffer) func(name string) {
	first := true
	return func(name string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, name)
		b.WriteByte(':')
	}
}

func (c Conditions) marshal(b *bytes.Buffer) {
	b.WriteByte('{')
	ops := sortedKeys(c)
	for i, op := range ops {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, op)
		b.WriteString(":{")
		for j, k := range sortedKeys(c[op]) {
			if j > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			writeList(b, c[op][k])
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func writeList(b *bytes.Buffer, v []string) {
	if len(v) == 1 {
		writeString(b, v[0])
		return
	}
	b.WriteByte('[')
	for i, s := range v {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, s)
	}
	b.WriteByte(']')
}

func writeString(b *bytes.Buffer, s string) {
	out, _ := json.Marshal(s) // a string always marshals
	b.Write(out)
}
