package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// node is a JSON value that keeps object members in order and lets the parser see
// duplicate keys, which encoding/json's maps and structs would hide.
type node struct {
	kind    nodeKind
	text    string // string value, number text, or "true"/"false"
	items   []node
	members []member
}

type member struct {
	key string
	val node
}

type nodeKind uint8

const (
	nodeNull nodeKind = iota
	nodeObject
	nodeArray
	nodeString
	nodeNumber
	nodeBool
)

// maxDepth bounds nesting; the policy grammar needs seven levels.
const maxDepth = 16

var (
	errDuplicateKey = errors.New("duplicate key")
	errTooDeep      = errors.New("nesting too deep")
)

// decodeJSON reads exactly one JSON value from text.
func decodeJSON(text []byte) (node, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	n, err := readNode(dec, 0)
	if err != nil {
		return node{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return node{}, errors.New("trailing data")
	}
	return n, nil
}

func readNode(dec *json.Decoder, depth int) (node, error) {
	if depth > maxDepth {
		return node{}, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return node{}, err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return readObject(dec, depth)
		}
		if v == '[' {
			return readArray(dec, depth)
		}
		return node{}, errors.New("unexpected delimiter")
	case string:
		return node{kind: nodeString, text: v}, nil
	case json.Number:
		return node{kind: nodeNumber, text: v.String()}, nil
	case bool:
		if v {
			return node{kind: nodeBool, text: "true"}, nil
		}
		return node{kind: nodeBool, text: "false"}, nil
	}
	return node{kind: nodeNull}, nil
}

func readObject(dec *json.Decoder, depth int) (node, error) {
	n := node{kind: nodeObject}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return node{}, err
		}
		key, _ := tok.(string)
		for _, m := range n.members {
			if m.key == key {
				return node{}, errDuplicateKey
			}
		}
		val, err := readNode(dec, depth+1)
		if err != nil {
			return node{}, err
		}
		n.members = append(n.members, member{key: key, val: val})
	}
	_, err := dec.Token()
	return n, err
}

func readArray(dec *json.Decoder, depth int) (node, error) {
	n := node{kind: nodeArray, items: []node{}}
	for dec.More() {
		val, err := readNode(dec, depth+1)
		if err != nil {
			return node{}, err
		}
		n.items = append(n.items, val)
	}
	_, err := dec.Token()
	return n, err
}

// get returns the member named key of an object node.
func (n *node) get(key string) (*node, bool) {
	for i := range n.members {
		if n.members[i].key == key {
			return &n.members[i].val, true
		}
	}
	return nil, false
}
