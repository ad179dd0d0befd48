package audit

import (
	"encoding"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// encoder writes values as JSON with lower-camel member names and without the members whose
// names hold secrets, walking each value once and writing as it goes. It remembers what it
// learned about each type (field names, which fields to skip), so encoding the same result type
// again costs no tag parsing. An encoder is used by one goroutine at a time: the log's writer.
type encoder struct {
	types map[reflect.Type]*typeInfo
}

// typeInfo is what the encoder knows about a type.
type typeInfo struct {
	time, text bool    // time.Time; encoding.TextMarshaler other than a struct
	fields     []field // struct fields to write, in order
}

// field is one struct field to write.
type field struct {
	index     int
	key       string // the JSON member name, lower camel case, quoted, with its colon
	embedded  bool   // an embedded struct whose fields are written in place
	omitEmpty bool   // nil pointers, slices, maps and interfaces are left out
	omitBlank bool   // an empty string is left out (a field tagged omitempty)
}

var (
	timeType = reflect.TypeFor[time.Time]()
	textType = reflect.TypeFor[encoding.TextMarshaler]()
)

func (e *encoder) info(t reflect.Type) *typeInfo {
	if ti, ok := e.types[t]; ok {
		return ti
	}
	if e.types == nil {
		e.types = map[reflect.Type]*typeInfo{}
	}
	ti := &typeInfo{time: t == timeType, text: t.Kind() != reflect.Struct && t.Implements(textType)}
	e.types[t] = ti
	if t.Kind() != reflect.Struct || ti.time {
		return ti
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name := fieldName(f)
		if !f.IsExported() || name == "" || IsSecret(name) || f.Name == "XMLName" {
			continue
		}
		k := f.Type.Kind()
		ti.fields = append(ti.fields, field{
			index: i, key: string(appendJSONString(nil, lowerCamel(name))) + ":",
			embedded:  f.Anonymous && k == reflect.Struct,
			omitEmpty: k == reflect.Pointer || k == reflect.Slice || k == reflect.Map || k == reflect.Interface,
			omitBlank: k == reflect.String && taggedOmitEmpty(f),
		})
	}
	return ti
}

// value appends v.
func (e *encoder) value(b []byte, v reflect.Value) []byte {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return append(b, "null"...)
		}
		v = v.Elem()
	}
	ti := e.info(v.Type())
	switch {
	case ti.time:
		t := v.Interface().(time.Time)
		return strconv.AppendQuote(b, t.UTC().Format(time.RFC3339))
	case ti.text:
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return append(b, "null"...)
		}
		return appendJSONString(b, string(text))
	}
	switch v.Kind() {
	case reflect.String:
		return appendJSONString(b, v.String())
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(b, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "null"...)
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.value(b, v.Index(i))
		}
		return append(b, ']')
	case reflect.Map:
		return e.mapValue(b, v)
	case reflect.Struct:
		b = append(b, '{')
		b, _ = e.fields(b, v, ti, true)
		return append(b, '}')
	}
	return append(b, "null"...)
}

func (e *encoder) mapValue(b []byte, v reflect.Value) []byte {
	if v.IsNil() {
		return append(b, "null"...)
	}
	b = append(b, '{')
	first := true
	it := v.MapRange()
	for it.Next() {
		k := it.Key()
		if k.Kind() != reflect.String || IsSecret(k.String()) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, lowerCamel(k.String()))
		b = append(b, ':')
		b = e.value(b, it.Value())
	}
	return append(b, '}')
}

// fields writes a struct's fields; embedded structs contribute theirs. first says whether no
// member has been written yet in the enclosing object; it returns the same for what follows.
func (e *encoder) fields(b []byte, v reflect.Value, ti *typeInfo, first bool) ([]byte, bool) {
	for _, f := range ti.fields {
		fv := v.Field(f.index)
		if f.embedded {
			b, first = e.fields(b, fv, e.info(fv.Type()), first)
			continue
		}
		if f.omitEmpty && fv.IsNil() || f.omitBlank && fv.Len() == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		b = e.value(b, fv)
	}
	return b, first
}

// taggedOmitEmpty reports a field whose json or xml tag says omitempty: as the API leaves an
// empty member out of its answer, CloudTrail's record leaves it out (AssumeRole's
// responseElements carry no web-identity members).
func taggedOmitEmpty(f reflect.StructField) bool {
	for _, tag := range []string{"json", "xml"} {
		if v, ok := f.Tag.Lookup(tag); ok && strings.Contains(v, ",omitempty") {
			return true
		}
	}
	return false
}

// fieldName is a field's name on the wire: its json tag, else its xml tag's last element, else
// its Go name; "" means the field is not encoded.
func fieldName(f reflect.StructField) string {
	for _, tag := range []string{"json", "xml"} {
		v, ok := f.Tag.Lookup(tag)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(v, ",")
		if name == "-" {
			return ""
		}
		if i := strings.LastIndexByte(name, '>'); i >= 0 {
			name = name[i+1:]
		}
		if name != "" {
			return name
		}
	}
	return f.Name
}
