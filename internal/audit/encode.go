package audit

import (
	"encoding"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// appendScrubbed appends v as JSON with lower-camel member names and without the members whose
// names hold secrets. It walks the value once, writing as it goes: audit events are encoded for
// every call, so the encoder avoids building intermediate trees.
func appendScrubbed(b []byte, v reflect.Value) []byte {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return append(b, "null"...)
		}
		v = v.Elem()
	}
	if v.Type() == reflect.TypeFor[time.Time]() {
		t := v.Interface().(time.Time)
		return strconv.AppendQuote(b, t.UTC().Format(time.RFC3339))
	}
	if m, ok := v.Interface().(encoding.TextMarshaler); ok && v.Kind() != reflect.Struct {
		text, err := m.MarshalText()
		if err != nil {
			return append(b, "null"...)
		}
		return appendString(b, string(text))
	}
	switch v.Kind() {
	case reflect.String:
		return appendString(b, v.String())
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
			b = appendScrubbed(b, v.Index(i))
		}
		return append(b, ']')
	case reflect.Map:
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
			b = appendString(b, lowerCamel(k.String()))
			b = append(b, ':')
			b = appendScrubbed(b, it.Value())
		}
		return append(b, '}')
	case reflect.Struct:
		return appendStruct(b, v, true)
	}
	return append(b, "null"...)
}

// appendStruct writes a struct's exported fields; embedded structs contribute their fields.
func appendStruct(b []byte, v reflect.Value, open bool) []byte {
	if open {
		b = append(b, '{')
	}
	t := v.Type()
	first := !open || b[len(b)-1] == '{'
	for i := range t.NumField() {
		f := t.Field(i)
		name := fieldName(f)
		if !f.IsExported() || name == "" || IsSecret(name) || f.Name == "XMLName" {
			continue
		}
		fv := v.Field(i)
		if f.Anonymous && fv.Kind() == reflect.Struct {
			mark := len(b)
			b = appendStruct(b, fv, false)
			if len(b) > mark {
				first = false
			}
			continue
		}
		if fv.IsZero() && (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map || fv.Kind() == reflect.Interface) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, lowerCamel(name))
		b = append(b, ':')
		b = appendScrubbed(b, fv)
	}
	if open {
		b = append(b, '}')
	}
	return b
}

func appendString(b []byte, s string) []byte { return appendJSONString(b, s) }

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
